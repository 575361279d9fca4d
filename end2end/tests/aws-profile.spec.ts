import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { test, expect, type LogLine, type SentEvent } from './fixtures';

// Runs when scripts/e2e.sh serves the shop in the AWS profile (E2E_PROFILE=aws):
// secrets from Secrets Manager, PostgreSQL, every log line shipped to the log group
// E2E_LOG_GROUP on the emulator at AWS_ENDPOINT_URL.
const group = process.env.E2E_LOG_GROUP;
test.skip(!group, 'the AWS profile is not being served (E2E_PROFILE=aws)');

const SHOPPER = { username: 'shopper', password: 'lumen-shopper-dev' };

/** Every clickstream line in the log group, read back with FilterLogEvents. */
async function groupLines(): Promise<LogLine[]> {
  const logs = new CloudWatchLogsClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint: process.env.AWS_ENDPOINT_URL,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' },
  });
  const lines: LogLine[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, nextToken }));
    for (const event of page.events ?? []) lines.push(JSON.parse(event.message!));
    nextToken = page.events?.length ? page.nextToken : undefined;
  } while (nextToken);
  return lines;
}

test('a signed-in shopper buys, and the five events land in the log group with every identity and product field', async ({ page, shop, events }) => {
  await shop.goto('/signin?return_to=%2Fproducts%2Fember-ruby-band');
  await page.getByLabel('Email or username').fill(SHOPPER.username);
  await page.getByLabel('Password').fill(SHOPPER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/products\/ember-ruby-band$/);
  await shop.hydrated();
  await shop.addToCart(2);
  await page.getByRole('link', { name: 'View cart' }).click();
  await page.getByRole('link', { name: 'Checkout', exact: true }).click();
  await shop.fillCheckout();
  await page.getByRole('button', { name: /Place order/ }).click();
  await expect(page.getByRole('heading', { name: 'We have your order' })).toBeVisible();
  const orderId = (await page.getByTestId('order-number').textContent())!.trim();

  const sent: SentEvent[] = [
    await events.waitFor('page_view', (e) => e.urlPath === '/products/ember-ruby-band'),
    await events.waitFor('product_view'),
    await events.waitFor('add_to_cart'),
    await events.waitFor('checkout_start'),
    await events.waitFor('checkout_complete'),
  ];
  // The shipper sends at least every 2 s.
  let shipped: LogLine[] = [];
  await expect
    .poll(async () => {
      shipped = await groupLines();
      return sent.filter((e) => shipped.some((l) => l.logType === 'clickstream' && l.eventId === e.eventId)).length;
    }, { timeout: 30_000 })
    .toBe(5);
  const line = (e: SentEvent) => shipped.find((l) => l.logType === 'clickstream' && l.eventId === e.eventId)!;

  const userId = line(sent[0]).userId;
  expect(userId).toMatch(/^[0-9a-f-]{36}$/);
  for (const event of sent) {
    expect(line(event)).toMatchObject({
      eventName: event.eventName,
      eventTimestamp: event.eventTimestamp,
      clientId: event.clientId,
      sessionId: event.sessionId,
      userId,
      userLoginState: 'signed_in',
      identitySource: 'dev',
      urlPath: event.urlPath,
      path: '/events',
      method: 'POST',
      statusCode: 200,
      // The shopper's network only (docs/events.md).
      sourceIp: '127.0.0.0',
    });
    expect(String(line(event).userAgent)).toContain('Chrome');
    expect(line(event).requestId).toMatch(/^[0-9a-f-]{36}$/);
  }
  const product = { productId: 'ember-ruby-band', name: 'Ember Ruby Band', category: 'rings', brand: 'Maison Lune', price: 22250000, discountPrice: 18725000, currency: 'VND' };
  expect(line(sent[1])).toMatchObject(product);
  expect(line(sent[2])).toMatchObject({ ...product, quantity: 2 });
  expect(line(sent[3])).toMatchObject({ cartValue: 37450000, currency: 'VND' });
  expect(line(sent[4])).toMatchObject({ orderId, orderValue: 37450000, currency: 'VND' });
  // The order and the sign-in are there too.
  expect(shipped.some((l) => l.logType === 'business' && l.action === 'order_placed' && l.orderId === orderId)).toBe(true);
  expect(shipped.some((l) => l.logType === 'auth' && l.action === 'sign_in' && l.userId === userId)).toBe(true);
});

const ADMIN = { username: 'admin', password: 'lumen-admin-dev' };
/** A real 48×48 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAOklEQVR42u3OQQ0AAAgEoAtmWOMYyxbOBxsByHS9EiEhISEhISEhISEhISEhISEhISEhISEhISGhOwsq98TTB48+iAAAAABJRU5ErkJggg==',
  'base64',
);

test('an admin uploads an image from the shop to the bucket, which takes PUTs from the shop origin only', async ({ page, shop }) => {
  await shop.goto('/signin?return_to=%2Fadmin%2Fproducts%2Fnorthern-hoops%2Fedit');
  await page.getByLabel('Email or username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\/products\/northern-hoops\/edit$/);
  await shop.hydrated();

  // The browser PUTs straight to the bucket, another origin than the shop's page:
  // the bucket's CORS rule (the template's) lets it.
  const shopOrigin = new URL(page.url()).origin;
  const put = page.waitForRequest((r) => r.method() === 'PUT' && r.url().includes('/products/northern-hoops/'));
  await page.getByLabel('Describe new images (alt text)').fill('Northern hoops, on a stand');
  await page.getByLabel('Add images').setInputFiles({ name: 'hoops.png', mimeType: 'image/png', buffer: PNG });
  const request = await put;
  const bucketOrigin = new URL(request.url()).origin;
  expect(bucketOrigin).not.toBe(shopOrigin);
  await expect(page.locator('.upload-item[data-stage="done"]')).toHaveText(/hoops\.png.*Added/);

  // A page on any other origin gets no such answer from the bucket.
  const other = process.env.E2E_OTHER_ORIGIN;
  test.skip(!other, 'scripts/e2e.sh names another origin');
  const signed = await page.request.post('/api/admin/images/presign', {
    form: { product_id: 'northern-hoops', content_type: 'image/png', size: String(PNG.length) },
    headers: { Accept: 'application/json' },
  });
  expect(signed.status()).toBe(200);
  const { url } = await signed.json();
  const http = await import('node:http');
  const server = http.createServer((_q, r) => { r.writeHead(200, { 'content-type': 'text/html' }); r.end('<!doctype html><title>Elsewhere</title>'); });
  await new Promise<void>((resolve) => server.listen(Number(new URL(other!).port), '127.0.0.1', resolve));
  try {
    await page.goto(`${other}/`);
    const outcome = await page.evaluate(async ({ url, bytes }) => {
      try {
        const response = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: new Uint8Array(bytes) });
        return `answered ${response.status}`;
      } catch (error) {
        return `blocked: ${error}`;
      }
    }, { url, bytes: [...PNG] });
    expect(outcome).toMatch(/^blocked/);
  } finally {
    server.close();
  }
});

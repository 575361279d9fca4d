import http from 'node:http';
import { test, expect, type LogLine } from './fixtures';

const base = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3300';
const overHttps = base.startsWith('https://');
const allowedOrigin = process.env.E2E_ALLOWED_ORIGIN;
const otherOrigin = process.env.E2E_OTHER_ORIGIN;

test('over HTTPS every page carries HSTS and the policy, and the cookies are Secure', async ({ page, shop, context, events, serverLog }) => {
  test.skip(!overHttps, 'this run is served over plain HTTP (the AWS profile, as behind a TLS-terminating proxy)');
  const documents: { url: string; headers: Record<string, string> }[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document') documents.push({ url: response.url(), headers: response.headers() });
  });
  await shop.goto('/');
  await shop.goto('/catalog?category=rings');
  await shop.goto('/products/ember-ruby-band');
  await shop.addToCart(1);
  const added = await events.waitFor('add_to_cart');
  await shop.goto('/cart');
  await shop.goto('/signin');

  expect(documents.length).toBeGreaterThanOrEqual(4);
  for (const { url, headers } of documents) {
    expect(url.startsWith('https://'), url).toBe(true);
    expect(headers['strict-transport-security'], url).toBe('max-age=31536000');
    expect(headers['content-security-policy'], url).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{22}' 'wasm-unsafe-eval'/);
    expect(headers['content-security-policy'], url).not.toContain("'unsafe-inline'");
  }
  const cookies = await context.cookies(base);
  expect(cookies.map((c) => c.name)).toContain('jw_cart');
  for (const cookie of cookies) expect(cookie.secure, cookie.name).toBe(true);

  await serverLog.waitForEvent(added.eventId);
});

/** Serves a page of its own at `origin` (http://127.0.0.1:<port>), another site than the shop. */
async function servePage(origin: string): Promise<http.Server> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><html lang="en"><title>Lumen Journal</title><h1>Journal</h1></html>');
  });
  await new Promise<void>((resolve) => server.listen(Number(new URL(origin).port), '127.0.0.1', resolve));
  return server;
}

type Sent = { fetchId: string; beaconId: string; fetchStatus: number | string; fetchAccepted: unknown; beaconQueued: boolean };

/** From the page open in `page`, sends one event with fetch (JSON) and one with sendBeacon (text/plain). */
async function sendFromPage(page: import('@playwright/test').Page): Promise<Sent> {
  return page.evaluate(async (shop) => {
    const event = () => ({
      eventId: crypto.randomUUID(),
      eventName: 'page_view',
      eventTimestamp: new Date().toISOString(),
      clientId: crypto.randomUUID(),
      sessionId: crypto.randomUUID(),
      urlPath: '/journal/autumn-edit',
    });
    const byFetch = event();
    const byBeacon = event();
    let fetchStatus: number | string;
    let fetchAccepted: unknown = null;
    try {
      const response = await fetch(`${shop}/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ events: [byFetch] }),
      });
      fetchStatus = response.status;
      // Readable only when the answer's CORS headers name this page's origin.
      fetchAccepted = (await response.json()).accepted;
    } catch (error) {
      fetchStatus = `blocked: ${error}`;
    }
    const beaconQueued = navigator.sendBeacon(`${shop}/events`, JSON.stringify(byBeacon));
    return { fetchId: byFetch.eventId, beaconId: byBeacon.eventId, fetchStatus, fetchAccepted, beaconQueued };
  }, base);
}

test('a page on an allowed origin sends events cross-origin by fetch and by beacon, and both are logged', async ({ page, serverLog }) => {
  test.skip(!allowedOrigin, 'scripts/e2e.sh names the allowed origin');
  const journal = await servePage(allowedOrigin!);
  try {
    await page.goto(`${allowedOrigin}/`);
    const sent = await sendFromPage(page);
    expect(sent.fetchStatus).toBe(200);
    expect(sent.fetchAccepted).toBe(1);
    expect(sent.beaconQueued).toBe(true);
    for (const id of [sent.fetchId, sent.beaconId]) {
      const line = await serverLog.waitForEvent(id);
      expect(line).toMatchObject({ eventName: 'page_view', urlPath: '/journal/autumn-edit', statusCode: 200 });
    }
  } finally {
    journal.close();
  }
});

test('a page on another origin gets its events refused, and none is logged as accepted', async ({ page, serverLog }) => {
  test.skip(!otherOrigin, 'scripts/e2e.sh names the other origin');
  const refusedBefore = refusedEventRequests(serverLog.lines()).length;
  const elsewhere = await servePage(otherOrigin!);
  try {
    await page.goto(`${otherOrigin}/`);
    const sent = await sendFromPage(page);
    // The preflight gets no CORS answer, so the browser never sends the JSON.
    expect(String(sent.fetchStatus)).toMatch(/^blocked/);
    // The beacon needs no preflight: it arrives, and the server refuses it.
    expect(sent.beaconQueued).toBe(true);
    await expect
      .poll(() => refusedEventRequests(serverLog.lines()).length, { message: 'the beacon is answered 403', timeout: 15_000 })
      .toBeGreaterThan(refusedBefore);
    expect(serverLog.clickstream(sent.fetchId)).toBeUndefined();
    expect(serverLog.clickstream(sent.beaconId)).toBeUndefined();
  } finally {
    elsewhere.close();
  }
});

function refusedEventRequests(lines: LogLine[]): LogLine[] {
  return lines.filter((l) => l.logType === 'request' && l.path === '/events' && l.statusCode === 403);
}

import { test, expect, acceptAnalytics } from './fixtures';

/** The tracker's batch timer (`tracker::FLUSH_INTERVAL_MS`). */
const FLUSH_INTERVAL_MS = 2_000;

test('page_view is sent once for each page shown', async ({ page, shop, events }) => {
  await shop.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rings' })).toBeVisible();
  await page.getByRole('link', { name: /Aurora Solitaire Ring/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Aurora Solitaire Ring' })).toBeVisible();
  await expect.poll(() => events.named('page_view').length, { timeout: 15_000 }).toBe(3);
  await expect.poll(() => events.named('product_view').length, { timeout: 15_000 }).toBe(1);
  // A late duplicate would leave with the next batch: wait past the tracker's flush
  // interval (2 s) and a send's round trip, then check the exact sequence.
  await page.waitForTimeout(FLUSH_INTERVAL_MS + 1_500);
  expect(events.named('page_view')).toHaveLength(3);
  expect(events.named('product_view')).toHaveLength(1);
  expect(events.named('page_view').map((e) => e.urlPath)).toEqual(['/', '/catalog?category=rings', '/products/aurora-solitaire-ring']);
  const [first, second, third] = events.named('page_view');
  expect(second.referrer).toMatch(/\/$/);
  expect(third.referrer).toMatch(/\/catalog\?category=rings$/);
  expect(first.eventId).not.toEqual(second.eventId);
  for (const e of events.sent) {
    expect(e.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(e.eventTimestamp)).not.toBeNaN();
  }
});

test('a reload keeps clientId and sessionId', async ({ page, shop, events }) => {
  await shop.goto('/catalog');
  const before = await events.waitFor('page_view');
  await page.reload();
  await shop.hydrated();
  await expect.poll(() => events.named('page_view').length, { timeout: 15_000 }).toBe(2);
  const after = events.named('page_view')[1];
  expect(after.clientId).toBe(before.clientId);
  expect(after.sessionId).toBe(before.sessionId);
  const stored = await shop.storedIds();
  expect(stored.clientId).toBe(before.clientId);
  expect(stored.session?.id).toBe(before.sessionId);
});

test('a session idle for more than 30 minutes gets a new sessionId, the client keeps its id', async ({ page, shop, events }) => {
  await shop.goto('/');
  const first = await events.waitFor('page_view');
  // Pretend the last event was 31 minutes ago.
  await page.evaluate(() => {
    const session = JSON.parse(sessionStorage.getItem('jw.session')!);
    session.lastSeen = Date.now() - 31 * 60 * 1000;
    sessionStorage.setItem('jw.session', JSON.stringify(session));
  });
  await page.getByRole('link', { name: 'Shop the collection' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'All jewelry' })).toBeVisible();
  const next = await events.waitFor('page_view', (e) => e.urlPath === '/catalog');
  expect(next.clientId).toBe(first.clientId);
  expect(next.sessionId).not.toBe(first.sessionId);
});

test('an unreachable /events never holds up the shop, and nothing is lost once it is back', async ({ page, shop, events, serverLog }) => {
  let reachable = false;
  let refused = 0;
  await page.route('**/events', async (route) => {
    if (reachable) return route.continue();
    refused += 1;
    return route.abort('connectionrefused');
  });
  await shop.goto('/products/northern-hoops');
  await shop.addToCart(1);
  await expect(shop.cartCount()).toHaveText('1');
  await page.getByRole('link', { name: 'View cart' }).click();
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  await page.getByRole('link', { name: 'Checkout', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await expect.poll(() => refused, { message: 'the tracker tried and was refused' }).toBeGreaterThan(0);

  reachable = true;
  const added = await events.waitFor('add_to_cart');
  const started = await events.waitFor('checkout_start');
  await expect.poll(() => serverLog.clickstream(added.eventId) !== undefined, { timeout: 45_000 }).toBe(true);
  await expect.poll(() => serverLog.clickstream(started.eventId) !== undefined, { timeout: 45_000 }).toBe(true);
});

test('events still flow when storage is unavailable', async ({ browser, serverLog }) => {
  const context = await browser.newContext();
  await acceptAnalytics(context);
  await context.addInitScript(() => {
    const broken = { get: () => { throw new DOMException('denied', 'SecurityError'); } };
    Object.defineProperty(window, 'localStorage', broken);
    Object.defineProperty(window, 'sessionStorage', broken);
  });
  const page = await context.newPage();
  const sent: { eventId: string; eventName: string; clientId: string; sessionId: string }[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'POST' || !r.url().endsWith('/events')) return;
    // Once per event: the page's view leaves with the page's beacon and with the tracker.
    for (const e of JSON.parse(r.postData()!).events) if (!sent.some((s) => s.eventId === e.eventId)) sent.push(e);
  });
  // Without storage the ids live as long as the page: a page's events share them.
  await page.goto('/products/northern-hoops');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('1');
  await expect.poll(() => sent.map((e) => e.eventName).sort(), { timeout: 15_000 }).toEqual(['add_to_cart', 'page_view', 'product_view']);
  for (const e of sent) {
    expect(e.clientId).toBe(sent[0].clientId);
    expect(e.sessionId).toBe(sent[0].sessionId);
  }
  // And the server logged them all, with the ids the tracker kept in memory.
  for (const event of sent) {
    const line = await serverLog.waitForEvent(event.eventId);
    expect(line.clientId).toBe(sent[0].clientId);
    expect(line.sessionId).toBe(sent[0].sessionId);
  }
  await context.close();
});

test('what is still queued leaves with sendBeacon when the page is hidden', async ({ page, shop, serverLog }) => {
  // Every fetch to /events fails, so an event can reach the server only by a beacon
  // (Chromium does not route beacons through Playwright). The wrapper
  // records each beacon handed to the browser, in sessionStorage, which outlives
  // leaving the page.
  await page.route('**/events', (route) => route.abort('connectionrefused'));
  await page.addInitScript(() => {
    const send = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => {
      const accepted = send(url, data);
      if (String(url).endsWith('/events')) {
        const beacons = JSON.parse(sessionStorage.getItem('test.beacons') ?? '[]');
        beacons.push({ url: String(url), body: String(data), accepted });
        sessionStorage.setItem('test.beacons', JSON.stringify(beacons));
      }
      return accepted;
    };
  });
  await shop.goto('/catalog');
  const { clientId } = await shop.storedIds();
  // The product page's `product_view` is the tracker's alone (the page's own
  // script sends only its `page_view`): it waits in the queue, as every fetch fails.
  await page.getByRole('link', { name: /Aurora Solitaire Ring/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Aurora Solitaire Ring' })).toBeVisible();
  await shop.hydrated();
  const product = '/products/aurora-solitaire-ring';
  // Leave at once, well before the 2-second batch timer: the product_view must still arrive.
  await page.goto('about:blank');
  await expect
    .poll(
      () =>
        serverLog
          .lines()
          .some((l) => l.logType === 'clickstream' && l.clientId === clientId && l.eventName === 'product_view' && l.urlPath === product),
      { timeout: 10_000 },
    )
    .toBe(true);

  // Back on the site (same tab, same sessionStorage): the beacon that carried it.
  await page.unroute('**/events');
  await shop.goto('/');
  const beacons: { url: string; body: string; accepted: boolean }[] = await page.evaluate(() =>
    JSON.parse(sessionStorage.getItem('test.beacons') ?? '[]'),
  );
  const carried = beacons.filter((b) =>
    (JSON.parse(b.body).events as { eventName: string; urlPath: string }[]).some(
      (e) => e.eventName === 'product_view' && e.urlPath === product,
    ),
  );
  expect(carried, JSON.stringify(beacons)).toHaveLength(1);
  expect(carried[0].accepted).toBe(true);
  expect(new URL(carried[0].url, 'http://x').pathname).toBe('/events');
  expect(JSON.parse(carried[0].body).events[0].clientId).toBe(clientId);
});

test('events whose beacon is lost as a page is left are sent again by the next page, and logged once', async ({ page, shop, serverLog }) => {
  // Every beacon is lost (as one sent while /events is unreachable is), and every
  // fetch fails until the next page is shown: the product page's events can reach
  // the server only through what the tracker keeps for the next page.
  await page.addInitScript(() => {
    navigator.sendBeacon = () => true;
  });
  let reachable = false;
  await page.route('**/events', (route) => (reachable ? route.continue() : route.abort('connectionrefused')));
  await shop.goto('/products/northern-hoops');
  await shop.addToCart(1);
  await expect(shop.cartCount()).toHaveText('1');
  const { clientId } = await shop.storedIds();
  await page.getByRole('link', { name: 'View cart' }).click();
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  await shop.hydrated();
  reachable = true;

  const logged = (name: string) =>
    serverLog.lines().filter((l) => l.logType === 'clickstream' && l.clientId === clientId && l.eventName === name);
  for (const name of ['product_view', 'add_to_cart']) {
    await expect.poll(() => logged(name).length, { message: `${name} is logged`, timeout: 30_000 }).toBeGreaterThan(0);
  }
  await expect
    .poll(() => logged('page_view').map((l) => l.urlPath).sort(), { timeout: 30_000 })
    .toEqual(['/cart', '/products/northern-hoops']);
  // Past a further batch, nothing has been logged twice.
  await page.waitForTimeout(FLUSH_INTERVAL_MS + 1_500);
  expect(logged('product_view')).toHaveLength(1);
  expect(logged('add_to_cart')).toHaveLength(1);
  expect(logged('page_view')).toHaveLength(2);
});

/** Slow 4G, as Chromium's DevTools define it. */
async function slow4g(page: import('@playwright/test').Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
}

test('a visit that leaves before the wasm has loaded is logged with its page_view, once', async ({ page, serverLog }) => {
  await slow4g(page);
  await page.goto('/catalog?category=rings', { waitUntil: 'domcontentloaded' });
  // The page's own script sent it; the wasm is still on its way.
  const first = await page.evaluate(() => (window as unknown as { __jwFirstPageView?: { eventId: string } }).__jwFirstPageView);
  expect(first, 'the page sent its first page_view itself').toBeTruthy();
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  const { clientId } = await page.evaluate(() => ({ clientId: localStorage.getItem('jw.clientId') }));
  await page.goto('about:blank');

  const line = await serverLog.waitForEvent(first!.eventId);
  expect(line.eventName).toBe('page_view');
  expect(line.urlPath).toBe('/catalog?category=rings');
  expect(line.locale, "the page's language, from <html lang>").toBe('en');
  expect(line.clientId).toBe(clientId);
  expect(serverLog.lines().filter((l) => l.logType === 'clickstream' && l.eventId === first!.eventId)).toHaveLength(1);
});

test('the first page_view sent by the page and again by the tracker is logged once', async ({ page, shop, events, serverLog }) => {
  await page.addInitScript(() => {
    const send = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => {
      (window as unknown as { beacons: string[] }).beacons = [
        ...((window as unknown as { beacons?: string[] }).beacons ?? []),
        String(data),
      ];
      return send(url, data);
    };
  });
  await shop.goto('/catalog');
  const beacon = await page.evaluate(() => (window as unknown as { beacons: string[] }).beacons);
  expect(beacon, 'the page sent one beacon before the wasm').toHaveLength(1);
  const early = JSON.parse(beacon[0]).events[0];
  // The tracker sends the same event (it may not know that the beacon arrived).
  const resent = await events.waitFor('page_view');
  expect(resent.eventId).toBe(early.eventId);
  expect(resent.sessionId).toBe(early.sessionId);
  expect(resent.clientId).toBe(early.clientId);
  const line = await serverLog.waitForEvent(early.eventId);
  expect(line.urlPath).toBe('/catalog');
  // Both have arrived once the tracker's batch is answered.
  await expect.poll(() => events.sends.get(early.eventId), { message: 'the beacon and the batch were both sent' }).toBe(2);
  await page.waitForTimeout(FLUSH_INTERVAL_MS + 1_000);
  expect(serverLog.lines().filter((l) => l.logType === 'clickstream' && l.eventId === early.eventId)).toHaveLength(1);
  expect(events.named('page_view')).toHaveLength(1);
});

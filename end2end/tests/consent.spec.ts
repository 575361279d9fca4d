import type { Page } from '@playwright/test';
import { test, expect, NOTICE_VERSION, type ServerLog } from './fixtures';

// A first visit: the shopper has made no choice about analytics.
test.use({ consent: 'none' });

/** What the page keeps in the browser's storage. */
async function stored(page: Page) {
  return page.evaluate(() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage) }));
}

/** The `consent` lines whose fields match `wanted`. */
function consentLines(serverLog: ServerLog, wanted: Record<string, unknown>) {
  return serverLog.lines().filter((l) => l.logType === 'consent' && Object.entries(wanted).every(([k, v]) => l[k] === v));
}

/** A purchase of one Northern Hoops, from the product page to the confirmation. */
async function buy(page: Page, shop: import('./fixtures').Shop) {
  await shop.goto('/products/northern-hoops');
  await shop.addToCart(1);
  await shop.goto('/checkout');
  await shop.fillCheckout();
  await page.getByRole('button', { name: /Place order/ }).click();
  await expect(page.getByRole('heading', { name: 'We have your order' })).toBeVisible();
  await shop.hydrated();
}

test('before a choice nothing is sent or stored; accepting sends the page being viewed, and a purchase its five events', async ({ page, shop, events, serverLog }) => {
  await shop.goto('/catalog');
  const banner = page.getByRole('complementary', { name: 'Privacy' });
  await expect(banner).toBeVisible();
  await expect(banner.getByRole('link', { name: 'Privacy notice' })).toHaveAttribute('href', '/privacy');
  await shop.goto('/products/northern-hoops');
  // Past the tracker's flush interval: nothing left, nothing kept.
  await page.waitForTimeout(3_000);
  expect(events.sent).toEqual([]);
  expect(await stored(page)).toEqual({ local: [], session: [] });

  // Keyboard only: the banner's buttons are reachable and work (the same page comes back).
  await banner.getByRole('button', { name: 'Accept' }).focus();
  await page.keyboard.press('Enter');
  await expect(banner).toBeHidden();
  const view = await events.waitFor('page_view');
  expect(view.urlPath).toBe('/products/northern-hoops');
  await serverLog.waitForEvent(view.eventId);
  const ids = await stored(page);
  expect(ids.local).toContain('jw.clientId');
  await expect.poll(() => consentLines(serverLog, { choice: 'accepted', clientId: view.clientId }).length).toBe(1);
  const [line] = consentLines(serverLog, { choice: 'accepted', clientId: view.clientId });
  expect(line).toMatchObject({ source: 'banner', noticeVersion: NOTICE_VERSION, path: '/products/northern-hoops' });
  expect(line.sessionId).toBe(view.sessionId);

  // No banner on the next pages; the five events follow a purchase.
  await buy(page, shop);
  await expect(banner).toHaveCount(0);
  for (const name of ['product_view', 'add_to_cart', 'checkout_start', 'checkout_complete']) {
    const event = await events.waitFor(name);
    expect(event.clientId).toBe(view.clientId);
  }
  expect(events.sent.filter((e) => e.eventName === 'page_view' && e.urlPath === '/products/northern-hoops').length).toBeGreaterThan(0);
});

test('after refusing, nothing is ever sent, across pages and a purchase, and the banner does not come back', async ({ page, shop, events, serverLog }) => {
  await shop.goto('/');
  const before = consentLines(serverLog, { choice: 'refused', source: 'banner' }).length;
  const banner = page.getByRole('complementary', { name: 'Privacy' });
  await banner.getByRole('button', { name: 'Refuse' }).click();
  await expect(banner).toBeHidden();
  await expect.poll(() => consentLines(serverLog, { choice: 'refused', source: 'banner' }).length).toBe(before + 1);
  await shop.goto('/catalog?category=rings');
  await expect(page.getByRole('complementary', { name: 'Privacy' })).toHaveCount(0);
  await shop.goto('/catalog');
  await buy(page, shop);
  await page.waitForTimeout(3_000);
  expect(events.sent).toEqual([]);
  expect(await stored(page)).toEqual({ local: [], session: [] });
});

test('a browser sending Global Privacy Control sends nothing, and the banner says why', async ({ browser, serverLog }) => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, extraHTTPHeaders: { 'Sec-GPC': '1' } });
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const page = await context.newPage();
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/events') sent.push(r.postData() ?? '');
  });
  const before = consentLines(serverLog, { source: 'gpc' }).length;
  await page.goto('/catalog');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const banner = page.getByRole('complementary', { name: 'Privacy' });
  await expect(banner.getByText('Your browser sends Global Privacy Control')).toBeVisible();
  await expect(banner.getByRole('button', { name: 'Accept' })).toBeHidden();
  await expect.poll(() => consentLines(serverLog, { source: 'gpc', choice: 'refused' }).length).toBe(before + 1);
  await banner.getByRole('link', { name: 'Got it' }).click();
  await expect(banner).toBeHidden();
  for (const path of ['/products/northern-hoops', '/cart']) {
    await page.goto(path);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
  await page.getByRole('link', { name: 'Privacy notice' }).click();
  await expect(page.getByText('You can still opt in below')).toBeVisible();
  await page.waitForTimeout(2_500);
  expect(sent).toEqual([]);
  expect(await stored(page)).toEqual({ local: [], session: [] });
  expect(consentLines(serverLog, { source: 'gpc' }).length).toBe(before + 1, 'recorded once');
  await context.close();
});

test.describe('with analytics accepted', () => {
  test.use({ consent: 'accepted' });

  test('withdrawing on the privacy page deletes the ids and nothing more is sent', async ({ page, shop, events, serverLog }) => {
    await shop.goto('/catalog');
    const first = await events.waitFor('page_view');
    await shop.goto('/privacy');
    await expect(page.getByText('You have agreed to analytics.')).toBeVisible();
    await events.waitFor('page_view', (e) => e.urlPath === '/privacy');
    await page.getByRole('button', { name: 'Withdraw consent' }).click();
    await expect(page.getByText('You have withdrawn your consent')).toBeVisible();
    await shop.hydrated();
    expect(await stored(page)).toEqual({ local: [], session: [] });
    await expect.poll(() => consentLines(serverLog, { choice: 'withdrawn', source: 'privacy_page' }).length).toBeGreaterThan(0);
    const sentBefore = events.sent.length;
    await shop.goto('/products/northern-hoops');
    await shop.addToCart(1);
    await page.waitForTimeout(3_000);
    expect(events.sent.length).toBe(sentBefore);
    expect(await stored(page)).toEqual({ local: [], session: [] });
    expect(first.clientId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('a landing from a campaign carries it, and every line of the session too', async ({ page, shop, events, serverLog }) => {
    await shop.goto('/?utm_source=zalo&utm_medium=social&utm_campaign=tet2027');
    const landing = await events.waitFor('page_view');
    expect(landing).toMatchObject({ utmSource: 'zalo', utmMedium: 'social', utmCampaign: 'tet2027' });
    await shop.goto('/products/northern-hoops');
    await shop.addToCart(1);
    const added = await events.waitFor('add_to_cart');
    expect(added).not.toHaveProperty('utmSource');
    const line = await serverLog.waitForEvent(added.eventId);
    expect(line).toMatchObject({ utmSource: 'zalo', utmMedium: 'social', utmCampaign: 'tet2027', referrerHost: null });
    expect(page.url()).toContain('/products/northern-hoops');
  });
});

test('the banner moves nothing on the page and is never its largest paint', async ({ page, shop }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __shifts: string[]; __lcp: string[] };
    w.__shifts = [];
    w.__lcp = [];
    const inBanner = (node: Node | null | undefined) =>
      !!node && (node instanceof Element ? node : node.parentElement)?.closest('.consent-banner') != null;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { sources?: { node?: Node }[] }[]) {
        for (const source of entry.sources ?? []) if (inBanner(source.node)) w.__shifts.push(String(source.node?.nodeName));
      }
    }).observe({ type: 'layout-shift', buffered: true });
    // Each entry is a larger paint than the one before; the page's LCP is the last.
    // The banner's text may be an early candidate (painted before an image has
    // loaded), which is no harm; the last one must not be it.
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { element?: Element }[]) {
        w.__lcp = inBanner(entry.element) ? [entry.element!.outerHTML.slice(0, 80)] : [];
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  for (const path of ['/', '/catalog', '/products/northern-hoops', '/vi/catalog?q=nhan']) {
    await shop.goto(path);
    await expect(page.locator('.consent-banner')).toBeVisible();
    // Every image in view painted, so the last candidate is the page's largest paint.
    await page.waitForFunction(() =>
      [...document.images]
        .filter((image) => image.getBoundingClientRect().top < window.innerHeight)
        .every((image) => image.complete),
    );
    await page.waitForTimeout(500);
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __shifts: string[]; __lcp: string[] };
      return { __shifts: [...w.__shifts], __lcp: [...w.__lcp] };
    });
    expect(seen.__shifts, `${path}: layout shifts in the banner`).toEqual([]);
    expect(seen.__lcp, `${path}: the banner as the largest paint`).toEqual([]);
  }
});

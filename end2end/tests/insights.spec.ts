import { chromium, type Browser, type Page } from '@playwright/test';
import { test, expect, Shop, EventCapture, acceptAnalytics } from './fixtures';

/** A desktop Chrome's user agent: headless Chromium's own says `HeadlessChrome`, a bot's. */
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * A browser that says it is desktop Chrome in every request. (A context's
 * `userAgent` is not applied to `keepalive` fetches, which Chromium sends from its
 * browser process: the tracker's would say `HeadlessChrome`, a bot's.)
 */
async function shoppersBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-agent=${CHROME}`],
  });
}

async function shopperPage(browser: Browser): Promise<{ page: Page; shop: Shop; events: EventCapture }> {
  const context = await browser.newContext({ userAgent: CHROME, ignoreHTTPSErrors: true });
  await acceptAnalytics(context);
  const page = await context.newPage();
  return { page, shop: new Shop(page), events: new EventCapture(page) };
}

/** Signs the admin in, landing on today's insights. */
async function openInsightsAsAdmin(page: Page, shop: Shop) {
  await shop.goto('/signin?return_to=%2Fadmin%2Finsights%3Frange%3Dtoday');
  await page.getByLabel('Email or username').fill('admin');
  await page.getByLabel('Password').fill('lumen-admin-dev');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\/insights\?range=today$/);
}

function funnelRow(page: Page, step: string) {
  return page.locator('#funnel-caption ~ table tbody tr').filter({ has: page.getByRole('rowheader', { name: step, exact: true }) });
}

test('an admin sees shoppers reach the funnel, and the insights page sends no events of its own', async ({ page, shop, events, serverLog }) => {
  const browser = await shoppersBrowser();
  // The funnel as it stands (earlier tests' headless sessions are bots and do not count).
  await openInsightsAsAdmin(page, shop);
  await shop.hydrated();
  const count = async (step: string) => Number(await funnelRow(page, step).locator('td').first().textContent());
  const before = {
    page_view: await count('page_view'),
    product_view: await count('product_view'),
    add_to_cart: await count('add_to_cart'),
  };

  // One shopper views a piece and adds it to the cart; another only looks at the home page.
  const buyer = await shopperPage(browser);
  await buyer.shop.goto('/products/ember-ruby-band');
  await buyer.shop.addToCart(1);
  const added = await buyer.events.waitFor('add_to_cart');
  await serverLog.waitForEvent(added.eventId);
  const browsing = await shopperPage(browser);
  await browsing.shop.goto('/');
  const viewed = await browsing.events.waitFor('page_view');
  await serverLog.waitForEvent(viewed.eventId);
  expect(serverLog.clickstream(added.eventId)!.isBot).toBe(false);

  await page.reload();
  await shop.hydrated();
  expect(await count('page_view')).toBe(before.page_view + 2);
  expect(await count('product_view')).toBe(before.product_view + 1);
  expect(await count('add_to_cart')).toBe(before.add_to_cart + 1);
  await expect(page.getByRole('heading', { name: 'Funnel' })).toBeVisible();
  await expect(page.locator('#top-viewed ~ table').getByRole('link', { name: 'Ember Ruby Band' })).toBeVisible();

  // Changing the range is a client-side navigation: still no events.
  await page.getByRole('navigation', { name: 'Range' }).getByRole('link', { name: '7 days' }).click();
  await expect(page).toHaveURL(/range=7d$/);
  await expect(page.getByRole('link', { name: '7 days' })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('#days-caption ~ table tbody tr')).toHaveCount(7);
  if (process.env.INSIGHTS_SCREENSHOT) {
    await page.screenshot({ path: process.env.INSIGHTS_SCREENSHOT, fullPage: true });
  }

  // Back in the shop, its page_view is sent: anything the admin pages had queued
  // would have gone before it.
  await page.getByRole('link', { name: 'Lumen Jewelry', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await events.waitFor('page_view', (e) => e.urlPath === '/');
  const fromAdmin = events.sent.filter((e) => e.urlPath.startsWith('/admin'));
  expect(fromAdmin, 'admin pages are not shop traffic').toEqual([]);
  expect(serverLog.lines().filter((l) => l.logType === 'clickstream' && String(l.urlPath).startsWith('/admin'))).toEqual([]);
  await browser.close();
});

test('a purchase from a campaign shows as its order, and the pages served count shoppers who refused too', async ({ page, shop, serverLog }) => {
  const browser = await shoppersBrowser();
  await openInsightsAsAdmin(page, shop);
  const pagesServed = async () =>
    Number((await page.locator('.admin-figures li').filter({ hasText: 'pages served' }).locator('.figure').textContent())!.replace(/\D/g, ''));
  const served = await pagesServed();

  // A shopper lands from a Zalo campaign and buys.
  const buyer = await shopperPage(browser);
  const campaign = `tet2027-${Date.now()}`;
  await buyer.shop.goto(`/?utm_source=zalo&utm_medium=social&utm_campaign=${campaign}`);
  await buyer.shop.goto('/products/northern-hoops');
  await buyer.shop.addToCart(1);
  await buyer.shop.goto('/checkout');
  await buyer.shop.fillCheckout();
  await buyer.page.getByRole('button', { name: /Place order/ }).click();
  await expect(buyer.page.getByRole('heading', { name: 'We have your order' })).toBeVisible();
  const complete = await buyer.events.waitFor('checkout_complete');
  expect((await serverLog.waitForEvent(complete.eventId)).utmCampaign).toBe(campaign);
  // Another refuses analytics, and looks at two pages: counted, not tracked.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, userAgent: CHROME });
  const refuser = await context.newPage();
  await refuser.goto('/catalog');
  await refuser.getByRole('complementary', { name: 'Privacy' }).getByRole('button', { name: 'Refuse' }).click();
  await expect(refuser.getByRole('complementary', { name: 'Privacy' })).toBeHidden();
  await refuser.goto('/cart');

  await page.reload();
  const row = page.locator('#by-campaign ~ table tbody tr').filter({ has: page.getByRole('rowheader', { name: campaign, exact: true }) });
  // Sessions, checkouts started, orders, revenue.
  await expect(row.locator('td')).toHaveText(['1', '1', '1', '₫3,000,000']);
  const source = page.locator('#by-source-medium ~ table tbody tr').filter({ has: page.getByRole('rowheader', { name: 'zalo / social', exact: true }) });
  await expect(source).toHaveCount(1);
  // The buyer's pages (home, product, checkout, confirmation) and the refuser's two.
  expect(await pagesServed()).toBeGreaterThanOrEqual(served + 5);
  await browser.close();
});

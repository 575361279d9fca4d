import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

// Every kind of page makes its islands interactive without an error.
// `scripts/test.sh` runs this file again against the release build
// (`E2E_BUILD=release`): the server and the wasm are built there with other
// settings than a debug build's, and a mismatch between them shows only there.
// The `pageErrors` fixture fails a test on any uncaught error or panic.

const pages = [
  ['the home page', '/'],
  ['the catalog', '/catalog'],
  ['a search with a sort', '/catalog?q=ring&sort=price_asc'],
  ['a category', '/catalog?category=earrings'],
  ['a product page', '/products/aurora-solitaire-ring'],
  ['the cart', '/cart'],
  ['the sign-in page', '/signin'],
  ['the privacy page', '/privacy'],
  ['a page that is not there', '/no-such-page'],
] as const;

/** Marks the document, so that a page load (which makes a new one) shows. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { kept: boolean }).kept = true));
}

async function documentKept(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { kept?: boolean }).kept === true);
}

for (const [name, path] of pages) {
  test(`${name} hydrates its islands without an error, and so does the page a link loads`, async ({
    page,
    shop,
    pageErrors,
  }) => {
    await shop.goto(path);
    // The header's cart badge reads the cart once the page is interactive.
    await page.waitForLoadState('networkidle');
    await expect(shop.cartCount()).toHaveText('0');
    expect(pageErrors).toEqual([]);
    // Every page is the server's: a link is a page load, interactive again.
    await markDocument(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rings', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Rings' })).toBeVisible();
    await shop.hydrated();
    expect(await documentKept(page), 'a new document').toBe(false);
    await expect(shop.cartCount()).toHaveText('0');
    expect(pageErrors).toEqual([]);
  });
}

test('adding to the cart updates the header without a page load', async ({ page, shop }) => {
  await shop.goto('/products/aurora-solitaire-ring');
  await page.waitForLoadState('networkidle');
  await markDocument(page);
  await expect(shop.cartCount()).toHaveText('0');
  await shop.addToCart(1);
  await expect(shop.cartCount()).toHaveText('1');
  expect(await documentKept(page), 'the document is kept').toBe(true);
});

test.describe('on a first visit', () => {
  test.use({ consent: 'none' });

  test('a page with the consent banner hydrates without an error, and accepting there hands over to the tracker', async ({ page, shop, events, pageErrors }) => {
    await shop.goto('/catalog?category=earrings');
    await page.waitForLoadState('networkidle');
    expect(events.sent).toEqual([]);
    await page.getByRole('complementary', { name: 'Privacy' }).getByRole('button', { name: 'Accept' }).click();
    const view = await events.waitFor('page_view');
    expect(view.urlPath).toBe('/catalog?category=earrings');
    // The tracker takes over from the page's script: the next page's events are its own.
    await page.getByRole('link', { name: /Northern Hoops/ }).first().click();
    await shop.hydrated();
    const product = await events.waitFor('product_view');
    expect(product.clientId).toBe(view.clientId);
    expect(pageErrors).toEqual([]);
  });
});

import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

// Every kind of page hydrates without an error and is then the app's, not only
// its HTML. `scripts/test.sh` runs this file again against the release build
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
  test(`${name} hydrates without an error and navigates in the browser`, async ({ page, shop, pageErrors }) => {
    await shop.goto(path);
    // Late parts (the header's cart and account) hydrate after the mark.
    await page.waitForLoadState('networkidle');
    expect(pageErrors).toEqual([]);
    // A link followed by the app's router keeps the document: no new page load.
    await markDocument(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rings', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Rings' })).toBeVisible();
    expect(await documentKept(page), 'the document is kept').toBe(true);
  });
}

test('adding to the cart after hydration updates the header without a page load', async ({ page, shop }) => {
  await shop.goto('/products/aurora-solitaire-ring');
  await page.waitForLoadState('networkidle');
  await markDocument(page);
  await expect(shop.cartCount()).toHaveText('0');
  await shop.addToCart(1);
  await expect(shop.cartCount()).toHaveText('1');
  expect(await documentKept(page), 'the document is kept').toBe(true);
});

import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';

/** Fails when the page scrolls sideways at this size. */
async function fitsTheScreen(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what}: no horizontal scrolling`).toBeLessThanOrEqual(0);
}

/** Every form field has a label, every image a text alternative. */
async function labelled(page: Page, what: string) {
  const unlabeled = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => !(el as HTMLInputElement).labels?.length)
      .map((el) => el.outerHTML),
  );
  expect(unlabeled, `${what}: fields without a label`).toEqual([]);
  const missingAlt = await page.evaluate(() =>
    [...document.querySelectorAll('img')].filter((img) => !img.hasAttribute('alt')).map((img) => img.outerHTML),
  );
  expect(missingAlt, `${what}: images without alt`).toEqual([]);
}

// Runs in both projects: a desktop window and a phone.
test('the shop is usable at this size: navigation, products and checkout fit the screen', async ({ page, shop }) => {
  await shop.goto('/');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shop all' })).toBeVisible();
  await fitsTheScreen(page, 'home');
  await labelled(page, 'home');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bracelets' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bracelets' })).toBeVisible();
  await fitsTheScreen(page, 'catalog');
  const width = page.viewportSize()!.width;
  const box = (await page.locator('.product-card').first().boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(width);

  await shop.openProduct('Soleil Gold Bangle');
  await fitsTheScreen(page, 'product');
  await labelled(page, 'product');
  const addButton = page.getByRole('button', { name: 'Add to cart' });
  await addButton.scrollIntoViewIfNeeded();
  await expect(addButton).toBeInViewport();
  await shop.addToCart(1);

  await page.getByRole('link', { name: 'View cart' }).click();
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  await fitsTheScreen(page, 'cart');
  await labelled(page, 'cart');

  await page.getByRole('link', { name: 'Checkout', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Checkout' })).toBeVisible();
  await expect(page.getByLabel('Email')).toBeVisible();
  await fitsTheScreen(page, 'checkout');
  await labelled(page, 'checkout');
  const place = page.getByRole('button', { name: /Place order/ });
  await place.scrollIntoViewIfNeeded();
  await expect(place).toBeInViewport();
  const field = (await page.getByLabel('Street and house number').boundingBox())!;
  expect(field.x + field.width, 'a checkout field fits the width').toBeLessThanOrEqual(width);
});

/** Presses Tab until `target` has the focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, what: string) {
  for (let presses = 0; presses < 25; presses++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${what} is not reached with Tab`);
}

test('the keyboard reaches the search and the cart', async ({ page, shop }) => {
  await shop.goto('/');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();

  const search = page.getByLabel('Search jewelry');
  await tabTo(page, search, 'the search box');
  await expect(search).toBeFocused();
  await page.keyboard.type('pearl');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Results for “pearl”' })).toBeVisible();

  const cart = page.getByRole('link', { name: /^Cart \((empty|\d+ items?)\)$/ });
  await tabTo(page, cart, 'the cart');
  await expect(cart).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
});

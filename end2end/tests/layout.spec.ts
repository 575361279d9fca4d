import { test, expect } from './fixtures';

// Runs in both projects: a desktop window and a phone.
test('the shop is usable at this size: navigation, products and checkout fit the screen', async ({ page, shop }) => {
  await shop.goto('/catalog?category=bracelets');
  await expect(page.getByRole('heading', { level: 1, name: 'Bracelets' })).toBeVisible();
  const width = page.viewportSize()!.width;
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
  const card = page.locator('.product-card').first();
  const box = (await card.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(width);
  await shop.openProduct('Soleil Gold Bangle');
  const addButton = page.getByRole('button', { name: 'Add to cart' });
  await addButton.scrollIntoViewIfNeeded();
  await expect(addButton).toBeInViewport();
  // Every image has a text alternative, every form field a label.
  const unlabeled = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]), select')].filter((el) => !(el as HTMLInputElement).labels?.length).length,
  );
  expect(unlabeled).toBe(0);
  const missingAlt = await page.evaluate(() => [...document.querySelectorAll('img')].filter((img) => !img.hasAttribute('alt')).length);
  expect(missingAlt).toBe(0);
});

test('the keyboard reaches the search and the cart', async ({ page, shop }) => {
  await shop.goto('/');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.getByLabel('Search jewelry').focus();
  await page.keyboard.type('pearl');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Results for “pearl”' })).toBeVisible();
});

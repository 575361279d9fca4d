import { test, expect } from './fixtures';

const ADMIN = { username: 'admin', password: 'lumen-admin-dev' };

test('an admin creates a product, fixes a field the server refused, and it appears in the shop', async ({ page, shop }) => {
  await shop.goto('/signin?return_to=%2Fadmin%2Fproducts%2Fnew');
  await page.getByLabel('Email or username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'New product' })).toBeVisible();
  await shop.hydrated();

  const id = `e2e-band-${Date.now()}`;
  await page.getByLabel('Id (its address: /products/…)').fill(id);
  await page.getByLabel('Name').fill('Workshop Band');
  await page.getByLabel('Brand').fill('Lumen Atelier');
  await page.getByLabel('Category').selectOption('rings');
  await page.getByLabel('Description').fill('A hand-forged band from the shop’s own workshop.');
  await page.getByLabel('Price (USD)').fill('twelve');
  await page.getByLabel('In stock').fill('3');
  await page.getByRole('button', { name: 'Create product' }).click();
  await expect(page.getByText('Enter a price like 1250 or 1250.00.')).toBeVisible();

  await page.getByLabel('Price (USD)').fill('1,250.00');
  await page.getByRole('button', { name: 'Create product' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/products/${id}/edit\\?created=1$`));
  await expect(page.getByRole('status').filter({ hasText: 'Product created' })).toBeVisible();

  // Edit the stock, then see the product as shoppers do.
  await page.getByLabel('In stock').fill('7');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved (version 2)' })).toBeVisible();
  await shop.goto(`/products/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Workshop Band' })).toBeVisible();
  await expect(page.getByText('$1,250.00')).toBeVisible();
  await expect(page.getByTestId('stock')).toHaveText('In stock (7 available)');
});

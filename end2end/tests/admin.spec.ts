import type { Page } from '@playwright/test';
import { test, expect, Shop } from './fixtures';

const ADMIN = { username: 'admin', password: 'lumen-admin-dev' };
const SHOPPER = { username: 'shopper', password: 'lumen-shopper-dev' };

/** A real 48×48 PNG, and bytes that only claim to be one. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAOklEQVR42u3OQQ0AAAgEoAtmWOMYyxbOBxsByHS9EiEhISEhISEhISEhISEhISEhISEhISEhISGhOwsq98TTB48+iAAAAABJRU5ErkJggg==',
  'base64',
);
const NOT_A_PNG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

async function signIn(page: Page, shop: Shop, user: { username: string; password: string }, returnTo: string) {
  await shop.goto(`/signin?return_to=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Email or username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${returnTo.replace(/[?]/g, '\\?')}$`));
  await shop.hydrated();
}

test('an admin creates a product, fixes a field the server refused, uploads its image, and it appears in the shop', async ({ page, shop, serverLog }) => {
  await signIn(page, shop, ADMIN, '/admin/products/new');
  await expect(page.getByRole('heading', { name: 'New product' })).toBeVisible();

  const id = `e2e-band-${Date.now()}`;
  await page.getByLabel('Id (its address: /products/…)').fill(id);
  await page.getByLabel('Name in English').fill('Workshop Band');
  await page.getByLabel('Brand').fill('Lumen Atelier');
  await page.getByLabel('Category').selectOption('rings');
  await page.getByLabel('Description in English').fill('A hand-forged band from the shop’s own workshop.');
  await page.getByLabel('Price (VND)').fill('twelve');
  await page.getByLabel('In stock').fill('3');
  await page.getByRole('button', { name: 'Create product' }).click();
  await expect(page.getByText('Enter a price in VND above 0 and at most ₫100,000,000,000, like 25000000, 25.000.000 or 25.000.000 ₫.')).toBeVisible();

  await page.getByLabel('Price (VND)').fill('31.250.000 ₫');
  await page.getByRole('button', { name: 'Create product' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/products/${id}/edit\\?created=1$`));
  await expect(page.getByRole('status').filter({ hasText: 'Product created' })).toBeVisible();
  // The edit page's island (its own chunk, with the variants' forms) is interactive
  // once its code and data have come; before that the form posts as a plain form.
  await page.waitForLoadState('networkidle');

  // Edit the stock, then see the product as shoppers do.
  await page.getByLabel('In stock').fill('7');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved (version 2)' })).toBeVisible();

  // The image goes from the browser straight to storage's signed URL, with progress.
  await expect(page.getByText('No images yet.')).toBeVisible();
  await page.getByLabel('Describe new images (alt text)').fill('Workshop Band, seen from the side');
  const put = page.waitForRequest((r) => r.method() === 'PUT' && r.url().includes(`/uploads/products/${id}/`));
  await page.getByLabel('Add images').setInputFiles({ name: 'band.png', mimeType: 'image/png', buffer: PNG });
  const request = await put;
  expect(request.headers()['content-type']).toBe('image/png');
  expect(new URL(request.url()).searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.locator('.upload-item[data-stage="done"]')).toHaveText(/band\.png.*Added/);
  const thumbnail = page.locator('.image-list img[alt="Workshop Band, seen from the side"]');
  await expect(thumbnail).toBeVisible();
  const src = await thumbnail.getAttribute('src');
  expect(src).toMatch(new RegExp(`^/media/products/${id}/[0-9a-f-]{36}\\.png$`));

  await shop.goto(`/products/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Workshop Band' })).toBeVisible();
  await expect(page.getByText('₫31,250,000')).toBeVisible();
  await expect(page.getByTestId('stock')).toHaveText('In stock (7 available)');
  const shown = page.locator(`main img[src="${src}"]`).first();
  await expect(shown).toBeVisible();
  await expect(shown).toHaveAttribute('alt', 'Workshop Band, seen from the side');
  expect(await shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);

  const uploads = serverLog.lines().filter((l) => l.logType === 'upload' && l.productId === id);
  expect(uploads.map((l) => l.action)).toEqual(['presign_issued', 'upload_completed']);
});

test('a file that is not what it claims is refused and deleted; images are reordered, described and removed', async ({ page, shop }) => {
  await signIn(page, shop, ADMIN, '/admin/products/northern-hoops/edit');
  const items = page.locator('.image-list .image-item');
  const before = await items.count();

  await page.getByLabel('Describe new images (alt text)').fill('Hoops on a velvet tray');
  await page.getByLabel('Add images').setInputFiles([
    { name: 'tray.png', mimeType: 'image/png', buffer: PNG },
    { name: 'sneaky.png', mimeType: 'image/png', buffer: NOT_A_PNG },
    { name: 'animated.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') },
  ]);
  await expect(page.locator('.upload-item[data-stage="done"]')).toHaveCount(1);
  await expect(page.locator('.upload-item[data-stage="failed"]').filter({ hasText: 'sneaky.png' })).toContainText(
    'not an image of its type',
  );
  await expect(page.locator('.upload-item[data-stage="failed"]').filter({ hasText: 'animated.gif' })).toContainText(
    'Upload a JPEG, PNG, WebP or AVIF image.',
  );
  await expect(items).toHaveCount(before + 1);

  // The new image becomes the main one, gets a better description, then goes.
  const tray = items.filter({ has: page.locator('img[alt="Hoops on a velvet tray"]') });
  await expect(tray).toHaveCount(1);
  for (let i = 0; i < before; i++) {
    await tray.getByRole('button', { name: 'Move earlier' }).click();
    await expect(items.nth(before - i - 1).locator('img[alt="Hoops on a velvet tray"]')).toHaveCount(1);
  }
  await expect(items.first().getByRole('button', { name: 'Move earlier' })).toBeDisabled();
  await items.first().getByLabel('Alt text of image 1').fill('Northern hoops on a blue velvet tray');
  await items.first().getByRole('button', { name: 'Save alt text' }).click();
  const described = items.first().locator('img[alt="Northern hoops on a blue velvet tray"]');
  await expect(described).toHaveCount(1);
  const src = await described.getAttribute('src');
  await shop.goto('/products/northern-hoops');
  await expect(page.locator(`main img[src="${src}"]`).first()).toHaveAttribute('alt', 'Northern hoops on a blue velvet tray');

  await shop.goto('/admin/products/northern-hoops/edit');
  await items.first().getByRole('button', { name: 'Remove' }).click();
  await expect(items).toHaveCount(before);
  await expect(page.locator(`.image-list img[src="${src}"]`)).toHaveCount(0);
  expect((await page.request.get(src!)).status()).toBe(404);
});

test('a shopper may not ask for an upload URL', async ({ page, shop }) => {
  await signIn(page, shop, SHOPPER, '/');
  const response = await page.request.post('/api/admin/images/presign', {
    form: { product_id: 'northern-hoops', content_type: 'image/png', size: '115' },
  });
  expect(response.status()).toBe(403);
  await shop.goto('/admin/products/northern-hoops/edit');
  await expect(page.getByRole('alert')).toContainText('This area is for the shop');
  await expect(page.getByLabel('Add images')).toHaveCount(0);
});

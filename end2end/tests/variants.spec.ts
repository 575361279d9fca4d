import { test, expect } from './fixtures';

const RING = '/products/blush-eternity-band';

test('a shopper chooses size and metal, adds two sizes of one ring and checks out; the events carry each variant', async ({ page, shop, events, serverLog }) => {
  await shop.goto(RING);
  const sizes = page.getByRole('radiogroup', { name: /^Ring size/ });
  const metals = page.getByRole('radiogroup', { name: /^Metal/ });
  const price = page.locator('.product-info .price');
  // The first variant in stock, until the shopper chooses.
  await expect(page.getByTestId('sku')).toHaveText('BEB-8-RG');
  await expect(sizes.getByRole('radio', { name: '8', exact: true })).toHaveAttribute('aria-checked', 'true');
  // Platinum is not made in size 8: shown, and said.
  await expect(metals.getByRole('radio', { name: 'Platinum (not made with this choice)' })).toBeVisible();

  // The size guide opens from the page.
  await page.getByText('Ring size guide').click();
  await expect(page.getByRole('row', { name: '12 52.0 16.6' })).toBeVisible();

  await sizes.getByRole('radio', { name: '12', exact: true }).click();
  await shop.hydrated();
  await expect(page).toHaveURL(/\?variant=BEB-12-RG$/);
  await expect(price).toContainText('₫33,750,000');
  await metals.getByRole('radio', { name: 'Platinum', exact: true }).click();
  await shop.hydrated();
  await expect(page).toHaveURL(/\?variant=BEB-12-PT$/);
  await expect(page.getByTestId('sku')).toHaveText('BEB-12-PT');
  await expect(price).toContainText('₫46,250,000');
  await expect(metals).toHaveAccessibleName('Metal: Platinum');
  await shop.addToCart(1);

  // Another size, by keyboard: the values are links in the tab order.
  await sizes.getByRole('radio', { name: '14', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\?variant=BEB-14-PT$/);
  await shop.hydrated();
  await expect(sizes.getByRole('radio', { name: '14', exact: true })).toHaveAttribute('aria-checked', 'true');
  await shop.addToCart(1);
  await expect(shop.cartCount()).toHaveText('2');

  await shop.goto('/cart');
  await expect(page.getByText('Ring size: 12, Metal: Platinum', { exact: true })).toBeVisible();
  await expect(page.getByText('Ring size: 14, Metal: Platinum', { exact: true })).toBeVisible();
  await expect(page.getByTestId('cart-subtotal')).toHaveText('₫92,500,000');
  await page.getByRole('link', { name: 'Checkout', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await shop.fillCheckout();
  await page.getByRole('button', { name: /Place order/ }).click();
  await expect(page.getByRole('heading', { name: 'We have your order' })).toBeVisible();
  await expect(page.getByText('Ring size: 12, Metal: Platinum', { exact: true })).toBeVisible();
  await expect(page.getByText('Ring size: 14, Metal: Platinum', { exact: true })).toBeVisible();
  await expect(page.getByTestId('order-total')).toHaveText('₫92,500,000');

  // The events name the variants: the one seen, each added, the cart's and the order's.
  const viewed = await events.waitFor('product_view', (e) => e.product?.sku === 'BEB-14-PT');
  expect(viewed.product).toMatchObject({ productId: 'blush-eternity-band', variantId: 'blush-eternity-band:14:platinum', price: 46250000 });
  const added = [
    await events.waitFor('add_to_cart', (e) => e.product?.sku === 'BEB-12-PT'),
    await events.waitFor('add_to_cart', (e) => e.product?.sku === 'BEB-14-PT'),
  ];
  expect(added[0].product).toMatchObject({ variantId: 'blush-eternity-band:12:platinum', quantity: 1, price: 46250000 });
  const start = await events.waitFor('checkout_start');
  const items = [
    { productId: 'blush-eternity-band', variantId: 'blush-eternity-band:12:platinum', sku: 'BEB-12-PT', quantity: 1, price: 46250000 },
    { productId: 'blush-eternity-band', variantId: 'blush-eternity-band:14:platinum', sku: 'BEB-14-PT', quantity: 1, price: 46250000 },
  ];
  expect(start.cart).toMatchObject({ value: 92500000, items });
  const complete = await events.waitFor('checkout_complete');
  expect(complete.order).toMatchObject({ value: 92500000, items });

  // And the log lines carry them: flat for a product, a list for the items.
  const line = await serverLog.waitForEvent(added[1].eventId);
  expect(line).toMatchObject({ productId: 'blush-eternity-band', variantId: 'blush-eternity-band:14:platinum', sku: 'BEB-14-PT', items: null });
  const completeLine = await serverLog.waitForEvent(complete.eventId);
  expect(completeLine.items).toEqual(items);
});

test('without JavaScript, the variant links and the add-to-cart form work', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${RING}?variant=BEB-11-YG`);
  await expect(page.getByTestId('sku')).toHaveText('BEB-11-YG');
  await page.getByRole('radiogroup', { name: /^Ring size/ }).getByRole('radio', { name: '12', exact: true }).click();
  await expect(page).toHaveURL(/\?variant=BEB-12-YG$/);
  await expect(page.getByTestId('sku')).toHaveText('BEB-12-YG');
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  // Back on the variant's page, the piece in the cart.
  await expect(page).toHaveURL(/\?variant=BEB-12-YG$/);
  await page.goto('/cart');
  await expect(page.getByText('Ring size: 12, Metal: 18K yellow gold', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Quantity of Blush Eternity Band (Ring size: 12, Metal: 18K yellow gold)')).toHaveValue('2');
  await context.close();
});

import { test, expect } from './fixtures';

// The e2e server's plain addresses are English (scripts/e2e.sh); Vietnamese, the
// shipped default, is under /vi/ there.

test('a Vietnamese shopper searches “nhan”, buys a ring, and all five events are logged in đồng', async ({ page, shop, events, serverLog }) => {
  await shop.goto('/vi/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await page.getByLabel('Tìm trang sức').fill('nhan');
  await page.getByRole('search').first().getByRole('button', { name: 'Tìm', exact: true }).click();
  await expect(page).toHaveURL(/\/vi\/catalog\?q=nhan$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Kết quả tìm kiếm cho “nhan”' })).toBeVisible();

  // The first ring found: "nhan" finds "Nhẫn" with no accent typed.
  const first = page.locator('.product-card .product-name').first();
  const name = (await first.textContent())!.trim();
  expect(name).toMatch(/^Nhẫn /);
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page).toHaveURL(/\/vi\/products\//);
  await shop.hydrated();
  await page.getByLabel('Số lượng').fill('1');
  await page.getByRole('button', { name: 'Thêm vào giỏ' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Đã thêm vào giỏ hàng' })).toBeVisible();
  await expect(shop.cartCount()).toHaveText('1');

  await page.getByRole('link', { name: 'Xem giỏ hàng' }).click();
  await expect(page.getByRole('heading', { name: 'Giỏ hàng của bạn' })).toBeVisible();
  await page.getByRole('link', { name: 'Thanh toán', exact: true }).click();
  await expect(page).toHaveURL(/\/vi\/checkout$/);
  await shop.hydrated();
  await page.getByLabel('Quốc gia').selectOption('VN');
  const details: Record<string, string> = {
    Email: 'lan@example.vn',
    'Số điện thoại': '+84 90 123 4567',
    'Họ và tên': 'Nguyễn Thị Lan',
    'Tỉnh/Thành phố': 'Hà Nội',
    'Phường/Xã': 'Phường Hoàn Kiếm',
    'Số nhà, tên đường': '12 Hàng Bạc',
  };
  for (const [label, value] of Object.entries(details)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  await page.getByRole('button', { name: /Đặt hàng/ }).click();
  await expect(page.getByRole('heading', { name: 'Chúng tôi đã nhận đơn hàng của bạn' })).toBeVisible();
  const orderId = (await page.getByTestId('order-number').textContent())!.trim();
  await expect(page).toHaveURL(new RegExp(`/vi/orders/${orderId}$`));
  await expect(page.getByTestId('order-total')).toHaveText(/^\d{1,3}(\.\d{3})+\s₫$/);

  const productView = await events.waitFor('product_view');
  const addToCart = await events.waitFor('add_to_cart');
  const checkoutStart = await events.waitFor('checkout_start');
  const checkoutComplete = await events.waitFor('checkout_complete');
  const pageView = await events.waitFor('page_view', (e) => e.urlPath.startsWith('/vi/products/'));
  expect(productView.product).toMatchObject({ name, currency: 'VND' });
  const price = productView.product!.price as number;
  expect(Number.isInteger(price) && price >= 1_000_000, `a price in whole đồng: ${price}`).toBe(true);
  expect(addToCart.product).toMatchObject({ quantity: 1, currency: 'VND' });
  expect(checkoutStart.cart).toMatchObject({ currency: 'VND' });
  expect(checkoutComplete.order).toMatchObject({ orderId, currency: 'VND' });
  for (const sent of [pageView, productView, addToCart, checkoutStart, checkoutComplete]) {
    const line = await serverLog.waitForEvent(sent.eventId);
    expect(line).toMatchObject({ eventName: sent.eventName, locale: 'vi', statusCode: 200 });
    if (sent.eventName !== 'page_view') expect(line.currency).toBe('VND');
  }
});

test('switching the language keeps the page and the cart', async ({ page, shop }) => {
  await shop.goto('/products/ember-ruby-band');
  await shop.addToCart(2);
  await expect(shop.cartCount()).toHaveText('2');
  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Tiếng Việt' }).click();
  await expect(page).toHaveURL(/\/vi\/products\/ember-ruby-band$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await shop.hydrated();
  await expect(shop.cartCount()).toHaveText('2');
  await page.getByRole('link', { name: /^Giỏ hàng/ }).click();
  await expect(page.getByRole('heading', { name: 'Giỏ hàng của bạn' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Ember/ })).toBeVisible();
  // And back: the choice is remembered, the cart still the same.
  await page.getByRole('navigation', { name: 'Ngôn ngữ' }).getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
});

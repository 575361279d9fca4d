import { test, expect } from './fixtures';

test('a guest browses, searches, buys, and every step reaches the log', async ({ page, shop, events, serverLog }) => {
  await shop.goto('/');
  await expect(page).toHaveTitle(/Lumen Jewelry/);
  await expect(page.getByRole('heading', { name: 'Featured pieces' })).toBeVisible();

  // Browse a category, then search.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Earrings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Earrings' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '7 pieces' })).toBeVisible();
  await shop.search('ruby');
  await expect(page.getByRole('heading', { level: 1, name: 'Results for “ruby”' })).toBeVisible();

  // Open a product and add two to the cart.
  await shop.openProduct('Ember Ruby Band');
  await expect(page.getByText('₫18,725,000')).toBeVisible();
  await expect(shop.cartCount()).toHaveText('0');
  await shop.addToCart(2);
  await expect(shop.cartCount()).toHaveText('2');

  // The cart, then checkout.
  await page.getByRole('link', { name: 'View cart' }).click();
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  await expect(page.getByTestId('cart-subtotal')).toHaveText('₫37,450,000');
  await page.getByRole('link', { name: 'Checkout', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();

  // Server-side validation, field by field.
  await shop.fillCheckout({ Email: 'not-an-email', 'Ward or commune': '' });
  await page.getByRole('button', { name: /Place order/ }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Please correct 2 fields' })).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter an email address like name@example.com.')).toBeVisible();
  await expect(page.getByText('Enter the ward or commune.')).toBeVisible();

  await shop.fillCheckout();
  await page.getByRole('button', { name: /Place order/ }).click();
  await expect(page.getByRole('heading', { name: 'We have your order' })).toBeVisible();
  const orderId = (await page.getByTestId('order-number').textContent())!.trim();
  expect(orderId).toMatch(/^JW-[0-9A-Z]{10}$/);
  await expect(page).toHaveURL(new RegExp(`/orders/${orderId}$`));
  await expect(page.getByTestId('order-total')).toHaveText('₫37,450,000');
  await expect(shop.cartCount()).toHaveText('0');

  // Each of the five events was sent ...
  const pageView = await events.waitFor('page_view', (e) => e.urlPath.startsWith('/products/'));
  const productView = await events.waitFor('product_view');
  const addToCart = await events.waitFor('add_to_cart');
  const checkoutStart = await events.waitFor('checkout_start');
  const checkoutComplete = await events.waitFor('checkout_complete');
  expect(productView.product).toMatchObject({ productId: 'ember-ruby-band', name: 'Ember Ruby Band', brand: 'Maison Lune', category: 'rings', price: 22250000, discountPrice: 18725000, currency: 'VND' });
  expect(addToCart.product).toMatchObject({ productId: 'ember-ruby-band', quantity: 2 });
  // A product without options sells as its one variant, named like the product.
  const item = { productId: 'ember-ruby-band', variantId: 'ember-ruby-band', sku: 'EMBER-RUBY-BAND', quantity: 2, price: 18725000 };
  expect(checkoutStart.cart).toEqual({ value: 37450000, currency: 'VND', items: [item] });
  expect(checkoutComplete.order).toEqual({ orderId, items: [item], value: 37450000, currency: 'VND' });

  // ... with one identity throughout ...
  const clientIds = new Set(events.sent.map((e) => e.clientId));
  const sessionIds = new Set(events.sent.map((e) => e.sessionId));
  expect(clientIds.size).toBe(1);
  expect(sessionIds.size).toBe(1);

  // ... and reached the server's log with identity, product and request fields.
  for (const sent of [pageView, productView, addToCart, checkoutStart, checkoutComplete]) {
    const line = await serverLog.waitForEvent(sent.eventId);
    expect(line).toMatchObject({
      logType: 'clickstream',
      eventName: sent.eventName,
      clientId: sent.clientId,
      sessionId: sent.sessionId,
      userId: null,
      userLoginState: 'guest',
      identitySource: 'guest',
      urlPath: sent.urlPath,
      locale: 'en',
      path: '/events',
      method: 'POST',
      statusCode: 200,
      // The shopper's network only (docs/events.md).
      sourceIp: '127.0.0.0',
    });
    expect(sent.locale, "the page's language, as the tracker sent it").toBe('en');
    expect(String(line.userAgent)).toContain('Chrome');
    expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect(serverLog.clickstream(addToCart.eventId)).toMatchObject({
    productId: 'ember-ruby-band', name: 'Ember Ruby Band', category: 'rings', brand: 'Maison Lune', price: 22250000, discountPrice: 18725000, quantity: 2,
  });
  expect(serverLog.clickstream(checkoutComplete.eventId)).toMatchObject({ orderId, orderValue: 37450000, currency: 'VND' });
  expect(serverLog.lines().some((l) => l.logType === 'business' && l.action === 'order_placed' && l.orderId === orderId)).toBe(true);
});

test('the cart survives a reload and a browser restart', async ({ browser, shop, page }) => {
  await shop.goto('/products/northern-hoops');
  await shop.addToCart(1);
  await page.reload();
  await shop.hydrated();
  await expect(shop.cartCount()).toHaveText('1');

  // A "restart": a new browser context that keeps only the persistent cookies
  // (a session cookie has no expiry, -1, and a real restart forgets it).
  const state = await page.context().storageState();
  const persistent = state.cookies.filter((c) => c.expires > 0);
  expect(persistent.map((c) => c.name)).toContain('jw_cart');
  const restarted = await browser.newContext({ storageState: { cookies: persistent, origins: [] } });
  const again = await restarted.newPage();
  await again.goto('/cart');
  await expect(again.getByRole('link', { name: 'Northern Hoops' })).toBeVisible();
  await restarted.close();
});

test('the cart can be changed and emptied', async ({ page, shop }) => {
  await shop.goto('/products/polar-bar-necklace');
  await shop.addToCart(1);
  await shop.goto('/cart');
  await page.getByLabel('Quantity of Polar Bar Necklace').fill('3');
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page.getByTestId('cart-subtotal')).toHaveText('₫10,875,000');
  await expect(shop.cartCount()).toHaveText('3');
  await page.getByRole('button', { name: 'Remove Polar Bar Necklace from cart' }).click();
  await expect(page.getByText('Your cart is empty.')).toBeVisible();
  await expect(shop.cartCount()).toHaveText('0');
});

test('pages render before the wasm arrives', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/catalog?category=necklaces&sort=price_asc');
  await expect(page.getByRole('heading', { level: 1, name: 'Necklaces' })).toBeVisible();
  await expect(page.locator('.product-name').first()).toHaveText('Polar Bar Necklace');
  await page.getByRole('link', { name: /Céleste Diamond Pendant/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Céleste Diamond Pendant' })).toBeVisible();
  await expect(page).toHaveTitle(/Céleste Diamond Pendant by Aurelia/);
  await context.close();
});

import type { Page } from '@playwright/test';
import { test, expect, Shop } from './fixtures';

async function signInAsAdmin(page: Page, shop: Shop, returnTo: string) {
  await shop.goto(`/signin?return_to=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Email or username').fill('admin');
  await page.getByLabel('Password').fill('lumen-admin-dev');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${returnTo}$`));
  await shop.hydrated();
}

test('a shopper orders, the admin confirms, ships and delivers it, the shopper sees each status, and the mailbox holds the four emails', async ({ page, shop, browser, serverLog }) => {
  // The shopper, a guest, orders one ring.
  await shop.goto('/products/ember-ruby-band');
  await shop.addToCart(1);
  await shop.goto('/checkout');
  await shop.fillCheckout();
  await page.getByRole('button', { name: /Place order/ }).click();
  const orderId = (await page.getByTestId('order-number').textContent())!.trim();
  await expect(page.getByTestId('order-status')).toHaveText('Your order is placed');

  // The admin, in a browser of their own, finds it on the desk.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const adminPage = await context.newPage();
  const admin = new Shop(adminPage);
  await signInAsAdmin(adminPage, admin, '/admin/orders');
  await adminPage.getByLabel('Search orders').fill(orderId);
  await adminPage.getByRole('button', { name: 'Filter' }).click();
  await expect(adminPage.getByTestId('orders-count')).toHaveText(/^1 orders/);
  await adminPage.getByRole('link', { name: orderId }).click();
  await expect(adminPage.getByRole('heading', { level: 1, name: orderId })).toBeVisible();
  await expect(adminPage.getByText('ada@example.com')).toBeVisible();
  // The moves' island is its own chunk: interactive once it has come.
  await adminPage.waitForLoadState('networkidle');

  const moves: [string, (p: Page) => Promise<void>, string][] = [
    ['confirmed', async (p) => {
      await p.getByLabel('Note (optional)').fill('Called the shopper to check the size');
      await p.getByRole('button', { name: 'Confirm the order' }).click();
    }, 'Your order is confirmed'],
    ['shipped', async (p) => {
      await p.getByLabel('Carrier').fill('Giao Hàng Nhanh');
      await p.getByLabel('Tracking number').fill('GHN-5521 0093');
      await p.getByRole('button', { name: 'Mark shipped' }).click();
    }, 'Your order is shipped'],
    ['delivered', async (p) => {
      // The cash is the order's total unless the admin says otherwise.
      await expect(p.getByLabel('Cash collected')).not.toHaveValue('');
      await p.getByRole('button', { name: 'Mark delivered' }).click();
    }, 'Your order is delivered'],
  ];
  for (const [status, move, says] of moves) {
    await move(adminPage);
    await expect(adminPage.getByTestId('order-status')).toHaveText(status);
    await adminPage.waitForLoadState('networkidle');
    // The shopper's page says where the order is now.
    await shop.goto(`/orders/${orderId}`);
    await expect(page.getByTestId('order-status')).toHaveText(says);
  }
  await expect(page.getByTestId('order-tracking')).toHaveText('Carried by Giao Hàng Nhanh, tracking number GHN-5521 0093');
  await expect(page.getByTestId('status-history').locator('li')).toHaveCount(4);
  await expect(page.getByText('Called the shopper')).toHaveCount(0);
  // The desk's history says who moved it and what they noted.
  const history = adminPage.getByTestId('status-history');
  await expect(history.locator('li')).toHaveCount(4);
  await expect(history).toContainText('Called the shopper to check the size');
  await expect(history).toContainText('by admin@lumen.example');
  await expect(adminPage.getByText('This order is closed.')).toHaveCount(0);

  // Each move was a business line naming the admin, not the shopper.
  for (const action of ['order_confirmed', 'order_shipped', 'order_delivered']) {
    const line = serverLog.lines().find((l) => l.logType === 'business' && l.action === action && l.orderId === orderId);
    expect(line, action).toBeDefined();
    expect(line!.userId).toEqual(expect.any(String));
    expect(JSON.stringify(line)).not.toContain('ada@example.com');
  }

  // The local mailbox: placed, confirmed, shipped and delivered, each sent.
  const rows = adminPage.getByTestId('outbox').locator('tr', { hasText: orderId });
  await expect(async () => {
    await admin.goto('/admin/mail');
    await expect(rows.filter({ hasText: 'Sent' })).toHaveCount(4);
  }).toPass({ timeout: 20_000 });
  for (const kind of ['order_placed', 'order_confirmed', 'order_shipped', 'order_delivered']) {
    await expect(rows.and(adminPage.locator(`[data-kind="${kind}"]`))).toHaveCount(1);
  }
  const shipped = rows.and(adminPage.locator('[data-kind="order_shipped"]'));
  const file = await shipped.getByRole('link', { name: 'Download .eml' }).getAttribute('href');
  const eml = await adminPage.request.get(file!);
  expect(eml.status()).toBe(200);
  expect(eml.headers()['content-type']).toBe('message/rfc822');
  const text = await eml.text();
  expect(text).toContain(`Subject: Your order ${orderId} is on its way`);
  expect(text).toContain('GHN-5521 0093');
  await context.close();
});

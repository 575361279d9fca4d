import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { test, expect, Shop } from './fixtures';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is now: no violations. Two
 * rules axe leaves off by default are on, for what Lighthouse also checks: a
 * control's name must contain its visible text (WCAG 2.5.3, axe's experimental
 * `label-content-name-mismatch`), and headings must not skip a level
 * (`heading-order`).
 */
async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page })
    .options({ rules: { 'label-content-name-mismatch': { enabled: true }, 'heading-order': { enabled: true } } })
    .withTags(WCAG_21_AA)
    .analyze();
  const violations = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(violations, `${what}: WCAG 2.1 A/AA violations`).toEqual([]);
  // The rules did run: a page with nothing checked would pass on nothing.
  expect(results.passes.length, `${what}: rules that passed`).toBeGreaterThan(10);
  const ran = [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable].map((r) => r.id);
  expect(ran, `${what}: the rules turned on`).toEqual(expect.arrayContaining(['label-content-name-mismatch', 'heading-order']));
}

async function signIn(page: Page, shop: Shop, username: string, password: string, returnTo: string) {
  await shop.goto(`/signin?return_to=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Email or username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${returnTo.replace(/[?]/g, '\\?')}$`));
  await shop.hydrated();
}

test('every shopper page type passes WCAG 2.1 A and AA checks, form errors included', async ({ page, shop }) => {
  await shop.goto('/');
  await expectAccessible(page, 'home');
  await shop.goto('/catalog?category=rings');
  await expectAccessible(page, 'catalog');
  await shop.goto('/catalog');
  await expectAccessible(page, 'catalog, first of its pages');
  await shop.goto('/catalog?q=ruby');
  await expectAccessible(page, 'search results');
  await shop.goto('/products/ember-ruby-band');
  await expectAccessible(page, 'product');
  await shop.goto('/products/blush-eternity-band?variant=BEB-16-YG');
  await page.getByText('Ring size guide').click();
  await expectAccessible(page, 'product with variants (pickers, a sold-out value, the size guide open)');
  await shop.addToCart(1);
  await shop.goto('/cart');
  await expectAccessible(page, 'cart');
  await shop.goto('/checkout');
  await expectAccessible(page, 'checkout');

  // Errors are tied to their fields and announced.
  await shop.fillCheckout({ Email: 'not-an-email' });
  await page.getByRole('button', { name: /Place order/ }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Please correct' })).toBeVisible();
  const email = page.getByLabel('Email');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  const describedBy = await email.getAttribute('aria-describedby');
  await expect(page.locator(`#${describedBy}`)).toHaveText('Enter an email address like name@example.com.');
  await expectAccessible(page, 'checkout with errors');

  await shop.fillCheckout();
  await page.getByRole('button', { name: /Place order/ }).click();
  await expect(page.getByRole('heading', { name: 'We have your order' })).toBeVisible();
  await expectAccessible(page, 'order confirmation');

  await shop.goto('/signin');
  await expectAccessible(page, 'sign-in');
  await page.goto('/products/never-was');
  await shop.hydrated();
  await expectAccessible(page, 'not found');
});

test('every shopper page type passes WCAG 2.1 A and AA checks in Vietnamese too', async ({ page, shop }) => {
  for (const [path, what] of [
    ['/vi/', 'home'],
    ['/vi/catalog?category=rings', 'catalog'],
    ['/vi/catalog?q=nhan', 'search results'],
    ['/vi/products/ember-ruby-band', 'product'],
  ]) {
    await shop.goto(path);
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
    await expectAccessible(page, `${what}, in Vietnamese`);
  }
  await page.getByLabel('Số lượng').fill('1');
  await page.getByRole('button', { name: 'Thêm vào giỏ' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Đã thêm vào giỏ hàng' })).toBeVisible();
  await shop.goto('/vi/cart');
  await expectAccessible(page, 'cart, in Vietnamese');
  await shop.goto('/vi/checkout');
  await page.getByLabel('Email', { exact: true }).fill('not-an-email');
  await page.getByRole('button', { name: /Đặt hàng/ }).click();
  await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'checkout with errors, in Vietnamese');
  await shop.goto('/vi/signin');
  await expectAccessible(page, 'sign-in, in Vietnamese');
  await page.goto('/vi/products/never-was');
  await shop.hydrated();
  await expectAccessible(page, 'not found, in Vietnamese');
});

test('the account and every admin page pass WCAG 2.1 A and AA checks, in both languages', async ({ page, shop, browser }) => {
  await signIn(page, shop, 'shopper', 'lumen-shopper-dev', '/account');
  await expectAccessible(page, 'account');
  await shop.goto('/vi/account');
  await expectAccessible(page, 'account, in Vietnamese');
  // A guest's order (in a browser of its own: the signed-in shoppers of other
  // tests expect an account without orders), for the desk's pages.
  const guestContext = await browser.newContext({ ignoreHTTPSErrors: true });
  const guestPage = await guestContext.newPage();
  const guest = new Shop(guestPage);
  await guest.goto('/products/ember-ruby-band');
  await guest.addToCart(1);
  await guest.goto('/checkout');
  await guest.fillCheckout();
  await guestPage.getByRole('button', { name: /Place order/ }).click();
  const orderId = (await guestPage.getByTestId('order-number').textContent())!.trim();
  await expectAccessible(guestPage, 'order with its status');
  await guestContext.close();

  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const adminPage = await context.newPage();
  const admin = new Shop(adminPage);
  await signIn(adminPage, admin, 'admin', 'lumen-admin-dev', '/admin');
  await expectAccessible(adminPage, 'admin overview');
  for (const [path, what] of [
    ['/admin/products', 'admin products'],
    ['/admin/products/new', 'new product'],
    ['/admin/products/ember-ruby-band/edit', 'edit product'],
    ['/admin/insights?range=7d', 'insights'],
    ['/admin/orders', 'order desk'],
    [`/admin/orders/${orderId}`, 'an order on the desk'],
    ['/admin/mail', 'mail'],
  ]) {
    await admin.goto(path);
    await expectAccessible(adminPage, what);
    await admin.goto(`/vi${path}`);
    await expect(adminPage.locator('html')).toHaveAttribute('lang', 'vi');
    await expectAccessible(adminPage, `${what}, in Vietnamese`);
  }
  await admin.goto('/admin/products/blush-eternity-band/edit');
  await expect(adminPage.locator('.variants-table tbody tr')).toHaveCount(32);
  await expectAccessible(adminPage, 'edit product with variants');
  await context.close();
});

/**
 * Presses Tab until `target` has the focus, and checks that the focus shows
 * (`:focus-visible` with an outline or a shadow). Fails if Tab never gets there.
 */
async function tabTo(page: Page, target: Locator, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      const shown = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        return el.matches(':focus-visible') && (outline || style.boxShadow !== 'none');
      });
      expect(shown, 'the focus is visible').toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}

test('a shopper finds, buys and checks out with the keyboard alone', async ({ page, shop }) => {
  await shop.goto('/');
  // The first stop skips to the content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();

  await tabTo(page, page.getByLabel('Search jewelry'));
  await page.keyboard.type('ruby');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Results for “ruby”' })).toBeVisible();

  await tabTo(page, page.getByRole('link', { name: 'Ember Ruby Band' }).first());
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Ember Ruby Band' })).toBeVisible();
  await shop.hydrated();

  await tabTo(page, page.getByLabel('Quantity'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2');
  await tabTo(page, page.getByRole('button', { name: 'Add to cart' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Added to your cart' })).toBeVisible();
  await expect(shop.cartCount()).toHaveText('2');

  await tabTo(page, page.getByRole('link', { name: 'View cart' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  await tabTo(page, page.getByRole('link', { name: 'Checkout', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await shop.hydrated();

  // The shop ships to Vietnam (the default), which the form starts with.
  const details: [string, string][] = [
    ['Email', 'grace@example.com'],
    ['Phone', '+84 90 123 4567'],
    ['Full name', 'Grace Hopper'],
    ['Province or city', 'Đà Nẵng'],
    ['Ward or commune', 'Phường Hải Châu'],
    ['Street and house number', '1 Bạch Đằng'],
  ];
  await expect(page.getByLabel('Country')).toHaveValue('VN');
  for (const [label, value] of details) {
    await tabTo(page, page.getByLabel(label, { exact: true }));
    await page.keyboard.type(value);
  }
  await tabTo(page, page.getByRole('button', { name: /Place order/ }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'We have your order' })).toBeVisible();
  await expect(shop.cartCount()).toHaveText('0');
});

test.describe('on a first visit', () => {
  test.use({ consent: 'none' });

  test('the consent banner and the privacy page pass WCAG 2.1 A and AA checks in both languages', async ({ page, shop }) => {
    await shop.goto('/');
    await expect(page.getByRole('complementary', { name: 'Privacy' })).toBeVisible();
    await expectAccessible(page, 'home with the consent banner');
    await shop.goto('/vi/catalog');
    await expect(page.getByRole('complementary', { name: 'Quyền riêng tư' })).toBeVisible();
    await expectAccessible(page, 'Vietnamese catalog with the consent banner');
    await shop.goto('/privacy');
    await expectAccessible(page, 'privacy page');
    await shop.goto('/vi/privacy');
    await expectAccessible(page, 'Vietnamese privacy page');
  });
});

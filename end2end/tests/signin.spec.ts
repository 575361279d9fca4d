import { test, expect, type LogLine } from './fixtures';

// The development identity provider's accounts (documented in the README).
const SHOPPER = { username: 'shopper', password: 'lumen-shopper-dev', email: 'shopper@lumen.example' };
const ADMIN = { username: 'admin', password: 'lumen-admin-dev' };

test('a shopper signs in: the guest cart joins the account, events carry the user, sign-out returns to guest', async ({ page, shop, events, serverLog }) => {
  // As a guest: a piece in the cart, and a page view.
  await shop.goto('/products/northern-hoops');
  await shop.addToCart(1);
  const guestView = await events.waitFor('page_view');
  const clientId = guestView.clientId;

  const earlierSignIns = serverLog.lines().filter((l) => l.logType === 'auth' && l.action === 'sign_in').length;
  // Sign in through the header; the provider's form brings the shopper back.
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/signin\?return_to=%2Fproducts%2Fnorthern-hoops$/);
  await page.getByLabel('Email or username').fill(SHOPPER.username);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('That email or password is not right');
  await page.getByLabel('Email or username').fill(SHOPPER.username);
  await page.getByLabel('Password').fill(SHOPPER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/products\/northern-hoops$/);
  await shop.hydrated();
  await expect(page.getByRole('link', { name: `Account of ${SHOPPER.email}` })).toBeVisible();
  await expect(shop.cartCount()).toHaveText('1');

  // The sign-in is logged, and so is the failure before it (never the password).
  // The log is the server's whole run: this shopper's sign-in is the latest one.
  const signIns = () => serverLog.lines().filter((l: LogLine) => l.logType === 'auth' && l.action === 'sign_in');
  await expect.poll(() => signIns().length, { timeout: 10_000 }).toBe(earlierSignIns + 1);
  const userId = signIns().at(-1)!.userId as string;
  expect(userId).toMatch(/^[0-9a-f-]{36}$/);
  expect(serverLog.lines().some((l) => l.logType === 'auth' && l.action === 'sign_in_failed' && l.reason === 'wrong_password')).toBe(true);
  expect(JSON.stringify(serverLog.lines())).not.toContain(SHOPPER.password);

  // Events sent now carry the user, with the browser's own ids unchanged.
  const signedInView = await events.waitFor(
    'page_view',
    (e) => e.urlPath === '/products/northern-hoops' && e.eventId !== guestView.eventId,
  );
  expect(signedInView.clientId).toBe(clientId);
  const line = await serverLog.waitForEvent(signedInView.eventId);
  expect(line).toMatchObject({ userId, userLoginState: 'signed_in', identitySource: 'dev', clientId });
  const guestLine = await serverLog.waitForEvent(guestView.eventId);
  expect(guestLine).toMatchObject({ userId: null, userLoginState: 'guest', identitySource: 'guest' });

  // The shopper's account page; the admin area stays closed.
  await page.getByRole('link', { name: `Account of ${SHOPPER.email}` }).click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByText('You have not ordered anything yet.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);
  const admin = await page.goto('/admin');
  expect(admin?.status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText("for the shop's administrators");

  // Sign out: back to a guest, with the same client id.
  await shop.goto('/catalog');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await shop.hydrated();
  const afterView = await events.waitFor('page_view', (e) => e.urlPath === '/' && Date.parse(e.eventTimestamp) > Date.parse(signedInView.eventTimestamp));
  expect(afterView.clientId).toBe(clientId);
  const afterLine = await serverLog.waitForEvent(afterView.eventId);
  expect(afterLine).toMatchObject({ userId: null, userLoginState: 'guest', identitySource: 'guest', clientId });
  expect(serverLog.lines().some((l) => l.logType === 'auth' && l.action === 'sign_out' && l.userId === userId)).toBe(true);
});

test('an admin opens the admin area', async ({ page, shop }) => {
  await shop.goto('/signin?return_to=%2Fadmin');
  await page.getByLabel('Email or username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: 'Latest orders' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Admin', exact: true })).toBeVisible();
});

import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';

// The account is not deleted here: the other specs sign in as the same shopper on
// the same server. Deleting is held by tests/api/account_data.rs (and cognito.rs).
test('a shopper downloads their data from the account page, and deleting asks them to confirm', async ({ page, shop }) => {
  await shop.goto('/signin?return_to=%2Faccount');
  await page.getByLabel('Email or username').fill('shopper');
  await page.getByLabel('Password').fill('lumen-shopper-dev');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'Your data' })).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download my data' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^lumen-jewelry-my-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(readFileSync((await file.path())!, 'utf8'));
  expect(data.account).toMatchObject({ username: 'shopper', identityProvider: 'dev' });
  expect(Array.isArray(data.orders) && Array.isArray(data.consentRecords)).toBe(true);

  // Without the box ticked the browser does not send the form: still signed in, here.
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('checkbox', { name: 'I understand my account is deleted for good' })).not.toBeChecked();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your data' })).toBeVisible();
});

import { test, expect } from './fixtures';

// Markup in a search link stays text: in the title and the heading the server
// renders, and once the page is interactive.
const probe = '</title><script>alert(document.domain)</script>';

test('a search link carrying a script runs nothing and titles the page with the literal words', async ({ page, shop }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });

  await shop.goto(`/catalog?q=${encodeURIComponent(probe)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Results for “${probe}”`);
  await expect(page).toHaveTitle(`Results for “${probe}” · Lumen Jewelry`);
  expect(await page.locator('head script:not([src])').evaluateAll((s) => s.map((e) => e.textContent ?? ''))).not.toContainEqual(
    expect.stringContaining('alert(document.domain)'),
  );

  // The same words searched for with the header's search form.
  await shop.goto('/');
  await page.getByLabel('Search jewelry').fill(`${probe}<x-probe>`);
  await page.getByRole('search').first().getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Results for “${probe}<x-probe>”`);
  await expect(page).toHaveTitle(`Results for “${probe}<x-probe>” · Lumen Jewelry`);
  await expect(page.locator('x-probe')).toHaveCount(0);

  expect(dialogs).toEqual([]);
});

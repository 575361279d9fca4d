import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { test, expect } from './fixtures';

const SITEMAP_XSD = join(__dirname, '..', '..', 'schemas', 'sitemap.xsd');

test('the sitemap is valid against the sitemap schema and names pages that answer', async ({ request }) => {
  const response = await request.get('/sitemap.xml');
  expect(response.status()).toBe(200);
  const xml = await response.text();
  const result = await validateXML({
    xml: [{ fileName: 'sitemap.xml', contents: xml }],
    schema: [{ fileName: 'sitemap.xsd', contents: readFileSync(SITEMAP_XSD, 'utf8') }],
  });
  expect(result.errors.map((e) => e.rawMessage), 'libxml2 finds no schema error').toEqual([]);
  expect(result.valid).toBe(true);

  // A sitemap that fails the schema is told apart: the check can fail.
  const broken = await validateXML({
    xml: [{ fileName: 'broken.xml', contents: xml.replace('<loc>', '<location>').replace('</loc>', '</location>') }],
    schema: [{ fileName: 'sitemap.xsd', contents: readFileSync(SITEMAP_XSD, 'utf8') }],
  });
  expect(broken.valid).toBe(false);

  // Every address in it is a page of this shop that answers 200.
  const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  expect(locs.length).toBeGreaterThan(10);
  for (const loc of locs.slice(0, 12)) {
    const url = new URL(loc);
    expect((await request.get(url.pathname + url.search)).status(), loc).toBe(200);
  }
});

test('a product page keeps its structured data and preview tags once hydrated', async ({ page, shop }) => {
  await shop.goto('/products/ember-ruby-band');
  const data = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
  expect(data['@type']).toBe('Product');
  expect(data.offers.price).toBe('18725000');
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', /\/products\/ember-ruby-band$/);
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute('content', /^https?:\/\/.+\/images\//);
  // Going to another product in the app changes them with the page.
  await shop.search('Aurora');
  await shop.openProduct('Aurora Solitaire Ring');
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', /\/products\/aurora-solitaire-ring$/);
  await expect(page.locator('script[type="application/ld+json"]')).toHaveCount(1);
  expect(JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!).sku).toBe('AURORA-SOLITAIRE-RING');
});

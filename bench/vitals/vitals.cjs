// Page vitals on an emulated phone connection: for each page, a first visit (a new
// browser profile, its caches empty) and a repeat visit (the same profile, as a
// returning shopper's browser: its HTTP cache and V8's code cache kept; an
// incognito-like context keeps no code cache), in headless Chromium
// with Slow 4G (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up) and a CPU 4x
// slower than this machine's. Prints LCP, CLS, the time until the app is
// interactive (its `data-hydrated` mark), and the bytes transferred by kind.
// One visit says little under emulation (repeat visits of one page range over
// several hundred milliseconds), so each page gets ROUNDS fresh profiles (5 unless
// set), a first visit and two repeat visits in each: the times printed are medians,
// with the range beside them; CLS is the worst seen; bytes are those of the first round.
//   ROUNDS=5 node bench/vitals/vitals.cjs http://127.0.0.1:3951 / /catalog /products/aurora-solitaire-ring
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require(require.resolve('@playwright/test', { paths: [path.join(__dirname, '../../end2end')] }));

const [base, ...paths] = process.argv.slice(2);
if (!base || paths.length === 0) {
  console.error('usage: vitals.cjs BASE_URL PATH...');
  process.exit(2);
}
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const CPU_SLOWDOWN = 4;
const ROUNDS = Number(process.env.ROUNDS || 5);

// In every page before its own scripts: LCP, CLS and the moment of hydration.
function observe() {
  const v = (window.__vitals = { lcp: 0, cls: 0, hydrated: null });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) v.lcp = e.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) v.cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  new MutationObserver(() => {
    if (v.hydrated === null && document.body && document.body.dataset.hydrated === 'true') v.hydrated = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
}

function kindOf(url, mime, type) {
  const p = new URL(url).pathname;
  if (type === 'Document') return 'html';
  if (p.endsWith('.wasm') || mime === 'application/wasm') return 'wasm';
  if (p.endsWith('.css') || mime === 'text/css') return 'css';
  if (p.endsWith('.js') || /javascript/.test(mime)) return 'js';
  if (type === 'Image' || /^image\//.test(mime)) return 'images';
  return 'other';
}

async function visit(context, url) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const requests = new Map();
  const bytes = { html: 0, css: 0, js: 0, wasm: 0, images: 0, other: 0 };
  cdp.on('Network.responseReceived', (e) => requests.set(e.requestId, kindOf(e.response.url, e.response.mimeType, e.type)));
  cdp.on('Network.loadingFinished', (e) => {
    const kind = requests.get(e.requestId);
    if (kind) bytes[kind] += e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__vitals.hydrated !== null, null, { timeout: 60_000 });
  // Late layout shifts and the last LCP candidate, then the network's quiet.
  await page.waitForTimeout(1_000);
  const vitals = await page.evaluate(() => window.__vitals);
  await page.close();
  return { ...vitals, bytes };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

(async () => {
  const kb = (n) => `${(n / 1024).toFixed(1)}`.padStart(7);
  console.log(`medians of ${ROUNDS} first visits and ${2 * ROUNDS} repeat visits a page (range of the hydrated time beside it)`);
  console.log(
    'page                              visit    LCP ms  CLS     hydrated ms (range)     total KB   html    css     js      wasm    images  other',
  );
  for (const p of paths) {
    const visits = { first: [], repeat: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vitals-profile-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
        ignoreHTTPSErrors: true,
        viewport: { width: 412, height: 915 },
        deviceScaleFactor: 2.625,
        isMobile: true,
        userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
      });
      await context.addInitScript(observe);
      for (const label of ['first', 'repeat', 'repeat']) visits[label].push(await visit(context, base + p));
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
    for (const [label, vs] of Object.entries(visits)) {
      const hydrated = vs.map((v) => v.hydrated);
      const range = `(${Math.min(...hydrated).toFixed(0)}-${Math.max(...hydrated).toFixed(0)})`;
      const bytes = vs[0].bytes;
      const total = Object.values(bytes).reduce((a, b) => a + b, 0);
      console.log(
        `${p.padEnd(34)}${label.padEnd(7)}${median(vs.map((v) => v.lcp)).toFixed(0).padStart(7)}  ` +
          `${Math.max(...vs.map((v) => v.cls)).toFixed(3)}  ${median(hydrated).toFixed(0).padStart(11)} ${range.padEnd(12)}  ${kb(total)}  ` +
          ['html', 'css', 'js', 'wasm', 'images', 'other'].map((k) => kb(bytes[k])).join(' '),
      );
    }
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

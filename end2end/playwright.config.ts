import { defineConfig, devices } from '@playwright/test';

// The server is started by scripts/e2e.sh (built by cargo-leptos, fresh data directory,
// its log lines in E2E_SERVER_LOG) and reached at E2E_BASE_URL.
export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  // The whole run is bounded too (it takes about 4 minutes here): a hang fails it.
  globalTimeout: 20 * 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  globalSetup: './global-setup.ts',
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3300',
    trace: 'retain-on-failure',
    // The embedded run is served with the shop's development certificate.
    ignoreHTTPSErrors: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'desktop', use: { browserName: 'chromium', viewport: { width: 1280, height: 900 } } },
    {
      name: 'phone',
      use: { ...devices['Pixel 7'], browserName: 'chromium' },
      testMatch: /layout\.spec\.ts/,
    },
  ],
});

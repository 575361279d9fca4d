import { test as base, expect, type BrowserContext, type Page, type Request } from '@playwright/test';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** The privacy notice's version, as the shop names it (`jewelry::consent::NOTICE_VERSION`). */
export const NOTICE_VERSION = /pub const NOTICE_VERSION: &str = "([^"]+)";/.exec(
  readFileSync(join(__dirname, '..', '..', 'src', 'consent.rs'), 'utf8'),
)![1];

/** The shopper has accepted analytics in this browser (the consent banner's cookie). */
export async function acceptAnalytics(context: BrowserContext) {
  const url = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3300';
  await context.addCookies([{ name: 'jw_consent', value: `${NOTICE_VERSION}.accepted`, url }]);
}

/** One event as the browser sent it to /events. */
export type SentEvent = {
  eventId: string;
  eventName: string;
  eventTimestamp: string;
  clientId: string;
  sessionId: string;
  urlPath: string;
  referrer?: string;
  locale?: string;
  product?: Record<string, unknown>;
  cart?: { items: unknown[]; value: number; currency: string };
  order?: { orderId: string; items?: unknown[]; value: number; currency: string };
};

export type LogLine = Record<string, unknown> & { logType: string };

/**
 * Every event the page sends to /events (fetch batches and beacons alike), once
 * each: the first page's `page_view` leaves twice, with the page's own beacon and
 * again with the tracker, as one event (one `eventId`).
 */
export class EventCapture {
  readonly sent: SentEvent[] = [];
  /** How many times each `eventId` was sent. */
  readonly sends = new Map<string, number>();

  constructor(page: Page) {
    page.on('request', (request: Request) => {
      if (request.method() !== 'POST' || !new URL(request.url()).pathname.endsWith('/events')) return;
      const body = request.postData();
      if (!body) return;
      const parsed = JSON.parse(body);
      const events: SentEvent[] = Array.isArray(parsed.events) ? parsed.events : [parsed];
      for (const e of events) {
        const times = this.sends.get(e.eventId) ?? 0;
        this.sends.set(e.eventId, times + 1);
        if (times === 0) this.sent.push(e);
      }
    });
  }

  named(name: string): SentEvent[] {
    return this.sent.filter((e) => e.eventName === name);
  }

  /** Waits until an event matching `predicate` has been sent, and returns it. */
  async waitFor(name: string, predicate: (e: SentEvent) => boolean = () => true): Promise<SentEvent> {
    await expect
      .poll(() => this.named(name).filter(predicate).length, { message: `a ${name} event is sent`, timeout: 15_000 })
      .toBeGreaterThan(0);
    return this.named(name).filter(predicate)[0];
  }
}

/**
 * The server's log, as scripts/e2e.sh captures its standard output. Without it a
 * test that checks a line is absent would pass on nothing, so a missing log fails.
 */
export class ServerLog {
  private readonly path: string;

  constructor(path = process.env.E2E_SERVER_LOG) {
    if (!path) throw new Error('E2E_SERVER_LOG is not set: run the tests through scripts/e2e.sh');
    this.path = path;
  }

  lines(): LogLine[] {
    if (!existsSync(this.path)) throw new Error(`the server's log ${this.path} does not exist`);
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  }

  clickstream(eventId: string): LogLine | undefined {
    return this.lines().find((l) => l.logType === 'clickstream' && l.eventId === eventId);
  }

  /** Waits until the event's clickstream line is in the log, and returns it. */
  async waitForEvent(eventId: string): Promise<LogLine> {
    await expect
      .poll(() => this.clickstream(eventId) !== undefined, {
        message: `event ${eventId} reaches the server's log`,
        timeout: 20_000,
      })
      .toBe(true);
    return this.clickstream(eventId)!;
  }
}

/** The shop, the way a shopper uses it. */
export class Shop {
  constructor(readonly page: Page) {}

  /** Opens a page and waits until it is interactive (hydrated). */
  async goto(path: string) {
    await this.page.goto(path);
    await this.hydrated();
  }

  async hydrated() {
    await expect(this.page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }

  cartCount() {
    return this.page.getByTestId('cart-count');
  }

  async search(term: string) {
    await this.page.getByLabel('Search jewelry').fill(term);
    await this.page.getByRole('search').first().getByRole('button', { name: 'Search' }).click();
    await expect(this.page).toHaveURL(new RegExp(`/catalog\\?q=${encodeURIComponent(term).replace(/%20/g, '(\\+|%20)')}`));
  }

  async openProduct(name: string) {
    await this.page.getByRole('link', { name }).first().click();
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
  }

  async addToCart(quantity = 1) {
    await this.page.getByLabel('Quantity').fill(String(quantity));
    await this.page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: 'Added to your cart' })).toBeVisible();
  }

  async fillCheckout(details: Partial<Record<string, string>> = {}) {
    // The country first: the address's fields follow it (Vietnam's are province,
    // ward, street).
    await this.page.getByLabel('Country').selectOption('VN');
    const d = {
      Email: 'ada@example.com',
      Phone: '090 123 4567',
      'Full name': 'Nguyễn Thị Ada',
      'Province or city': 'Hà Nội',
      'Ward or commune': 'Phường Hoàn Kiếm',
      'Street and house number': '12 Hàng Bạc',
      ...details,
    };
    for (const [label, value] of Object.entries(d)) {
      await this.page.getByLabel(label, { exact: true }).fill(value ?? '');
    }
  }

  async storedIds(): Promise<{ clientId: string | null; session: { id: string; lastSeen: number } | null }> {
    return this.page.evaluate(() => ({
      clientId: localStorage.getItem('jw.clientId'),
      session: JSON.parse(sessionStorage.getItem('jw.session') ?? 'null'),
    }));
  }
}

/**
 * Every Content-Security-Policy violation a page reports: the browser's own
 * `securitypolicyviolation` events and its console messages about the policy.
 */
export class PolicyViolations {
  readonly seen: string[] = [];

  constructor(page: Page) {
    page.on('console', (message) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) this.seen.push(message.text());
    });
    void page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
      });
    });
  }
}

export const test = base.extend<{
  /** The shopper's choice about analytics before the test: `accepted` (most tests
   * follow the clickstream) or `none` (a first visit: the banner asks). */
  consent: 'accepted' | 'none';
  shop: Shop;
  events: EventCapture;
  serverLog: ServerLog;
  policyViolations: PolicyViolations;
  pageErrors: string[];
}>({
  consent: ['accepted', { option: true }],
  context: async ({ context, consent }, use) => {
    if (consent === 'accepted') await acceptAnalytics(context);
    await use(context);
  },
  // On in every test: an uncaught error in a page (a failed hydration is one: the
  // wasm panics) fails the test it ran in.
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error' && /panicked at|hydration error/i.test(message.text())) errors.push(message.text());
      });
      await use(errors);
      expect(errors, 'the pages raise no uncaught error').toEqual([]);
    },
    { auto: true },
  ],
  // On in every test: a page that breaks the policy fails the test it ran in.
  policyViolations: [
    async ({ page }, use) => {
      const violations = new PolicyViolations(page);
      await use(violations);
      expect(violations.seen, 'the pages report no Content-Security-Policy violation').toEqual([]);
    },
    { auto: true },
  ],
  events: async ({ page }, use) => {
    await use(new EventCapture(page));
  },
  shop: async ({ page }, use) => {
    await use(new Shop(page));
  },
  serverLog: async ({}, use) => {
    await use(new ServerLog());
  },
});

export { expect };

// The status page in Debian's headless Chromium (driven by playwright-core): what a visitor sees, without and with
// the admin token, on a desktop and a phone, in light and dark mode. Screenshots go to test-output/ for review.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoData, FakeStatusSource, type FakeData } from '../../unit/status/fake-status-source.js';
import { startStatusServer, type StatusServer } from './status-server.js';

// The browser globals the page functions below use; the project compiles without the DOM library.
declare const document: { documentElement: { scrollWidth: number; clientWidth: number }; body: unknown };
declare function getComputedStyle(element: unknown): { backgroundColor: string; display: string };

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'browser-admin-token';
const OUTPUT = path.resolve('test-output');
const HOSTILE_NAME = '<script>alert(1)</script>';
const HOSTILE_MESSAGE = '<img src=x onerror=alert(2)>';

/** A target whose name and error message try to run script in the visitor's browser. */
function hostileData(): FakeData {
  const data = withRawMessages(demoData(Date.now()));
  data.checks[0] = { ...data.checks[0]!, name: HOSTILE_NAME, status: 'down', reason: 'body', message: HOSTILE_MESSAGE };
  data.incidents = [
    {
      id: 'x',
      checkId: 'web_home',
      openedAt: Date.now() - 60_000,
      firstReason: 'body',
      firstMessage: HOSTILE_MESSAGE,
      lastMessage: HOSTILE_MESSAGE,
      failures: 1,
    },
  ];
  return data;
}

/** The page as status-page.yml's `raw_messages: true` shows it: the probes' own messages to every visitor. */
function withRawMessages(data: FakeData): FakeData {
  data.settings.rawMessages = true;
  return data;
}

let server: StatusServer;
let hostile: StatusServer;
let context: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install the Debian package \`chromium\` (apt-get install chromium)`);
  }
  await mkdir(OUTPUT, { recursive: true });
  server = await startStatusServer(new FakeStatusSource(withRawMessages(demoData(Date.now()))), TOKEN);
  hostile = await startStatusServer(new FakeStatusSource(hostileData()), TOKEN);
  userDataDir = await mkdtemp(path.join(tmpdir(), 'vigil-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
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
    viewport: { width: 1100, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  await hostile?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

async function open(url: string): Promise<Page> {
  const page = await context.newPage();
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  return page;
}

describe('the status page in Chromium', () => {
  it('shows the public components, their status, uptime and the current incident', async () => {
    const page = await open(`${server.url}/`);
    expect(await page.title()).toBe('Acme status · Partial outage');
    await expect.poll(() => page.locator('.banner').innerText()).toBe('Partial outage');

    const components = page.locator('article.component');
    expect(await components.locator('.name').allInnerTexts()).toEqual(['Website', 'Public API']);
    expect(await components.locator('.head .state').allInnerTexts()).toEqual(['Operational', 'Partial outage']);
    const api = components.nth(1);
    expect(await api.locator('.uptime').innerText()).toMatch(
      /24 hours\s+98\.20 %.*90 days\s+99\.97 %.*SLA target\s+99\.95 %/s,
    );
    expect(await api.locator('.checks').innerText()).toMatch(/API root: Down \(timeout\)/);

    const bars = api.locator('.bars span');
    expect(await bars.count()).toBe(90);
    expect(await bars.nth(86).getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d: 97\.50 % up, 36 min down$/);
    // The tooltip is also the bar's accessible name, as a screen reader gets it.
    const label = (await bars.nth(86).getAttribute('title'))!;
    expect(await api.getByRole('img', { name: label, exact: true }).count()).toBe(1);
    expect(await bars.nth(86).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(214, 60, 60)');

    const current = page.locator('section[aria-labelledby="current-title"]');
    expect(await current.innerText()).toContain('no answer within 5 s (upstream api-7 not responding)');
    expect(await page.locator('body').innerText()).toContain('Website deployment');

    expect(await page.getByText('Infrastructure').count()).toBe(0);
    expect(await page.getByText('Primary database').count()).toBe(0);
    await page.screenshot({ path: path.join(OUTPUT, 'status-page.png'), fullPage: true });
    await page.close();
  });

  it('shows the private infrastructure component with ?token=', async () => {
    const page = await open(`${server.url}/?token=${TOKEN}`);
    await expect.poll(() => page.getByText('Infrastructure', { exact: true }).isVisible()).toBe(true);
    expect(await page.locator('body').innerText()).toContain('Private view');
    expect(await page.locator('article.component .name').allInnerTexts()).toContain('Infrastructure');
    expect(await page.locator('body').innerText()).toMatch(/Primary database: Down/);
    await page.screenshot({ path: path.join(OUTPUT, 'status-page-private.png'), fullPage: true });
    await page.close();
  });

  it('fits a phone screen in dark mode, showing the last 30 days of bars', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.url}/`);
    const visibleBars = await page
      .locator('article.component')
      .first()
      .locator('.bars span')
      .evaluateAll((bars) => bars.filter((bar) => getComputedStyle(bar).display !== 'none').length);
    expect(visibleBars).toBe(30);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(17, 20, 26)');
    await page.screenshot({ path: path.join(OUTPUT, 'status-page-mobile-dark.png'), fullPage: true });
    await page.close();
  });

  it('shows hostile names and messages as text and runs none of them', async () => {
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${hostile.url}/`);
    expect(await page.locator('article.component .checks').first().innerText()).toContain(
      `${HOSTILE_NAME}: Down (body)`,
    );
    expect(await page.locator('section[aria-labelledby="current-title"] .msg').innerText()).toBe(HOSTILE_MESSAGE);
    expect(await page.locator('script, img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});

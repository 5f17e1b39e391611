// The status page of a running prober, with three days of seeded history in its SQLite store, as a visitor sees it
// in headless Chromium, with a check's own page. Also: the history, incidents and SLA survive a restart of the
// process; and a fresh install (minutes of history) reads as one, naming no internal host:port to the public.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { StoredResult } from '../../src/store/store.js';
import { startHttpTarget } from '../helpers/http-target-server.js';
import { unusedPort } from '../helpers/ports.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';
import { waitFor } from '../helpers/wait-for.js';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'e2e-admin-token';
const HOUR = 3_600_000;
const STEP = 30_000;
const MINUTE = 60_000;
const OUTPUT = 'test-output';

let target: { url: string; close(): Promise<void> };
let dataDir: string;
let configDir: string;
let vigil: VigilProcess;
let browser: Browser;

function seededResults(now: number): StoredResult[] {
  const results: StoredResult[] = [];
  const start = now - 72 * HOUR;
  for (let at = start; at < now - STEP; at += STEP) {
    // The API was down for one hour, 30 hours ago; the database never failed.
    const apiDown = at >= now - 31 * HOUR && at < now - 30 * HOUR;
    for (const [checkId, down] of [
      ['web_home', false],
      ['api_root', apiDown],
      ['db_primary', false],
    ] as const) {
      results.push({
        checkId,
        status: down ? 'down' : 'healthy',
        ...(down ? { reason: 'status_code' as const } : {}),
        message: down ? 'HTTP 502, expected 200' : 'HTTP 200',
        startedAt: at,
        finishedAt: at + 20,
        durationMs: 20,
        phases: {},
        consecutiveFailures: down ? 1 : 0,
        inMaintenance: false,
      });
    }
  }
  return results;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the Debian package \`chromium\``);
  target = await startHttpTarget();
  dataDir = makeTempDir('vigil-e2e-data');
  const now = Date.now();
  const store = await SqliteStore.open(path.join(dataDir, 'vigil.db'));
  await store.insertResults(seededResults(now));
  await store.saveIncident({
    id: 'seeded-api-incident',
    checkId: 'api_root',
    openedAt: now - 31 * HOUR,
    closedAt: now - 30 * HOUR,
    firstReason: 'status_code',
    firstMessage: 'HTTP 502, expected 200',
    lastMessage: 'HTTP 502, expected 200',
    failures: 120,
    lastFailureAt: now - 30 * HOUR - STEP,
  });
  await store.close();

  configDir = writeConfigDir({
    'checks.yml': `
groups:
  - name: shop
    interval: 10s
    timeout: 2s
    checks:
      - {id: web_home, name: Home page, endpoint: {url: "${target.url}/ok"}}
      - {id: api_root, name: API root, endpoint: {url: "${target.url}/ok"}}
      - {id: db_primary, name: Primary database, type: tcp, target: "${new URL(target.url).host}"}
`,
    'status-page.yml': `
title: Acme status
components:
  - {id: website, name: Website, checks: [web_home, api_root], public: true}
  - {id: infrastructure, name: Infrastructure, checks: [db_primary], public: false}
`,
  });
  vigil = await startVigil(configDir, { args: ['--data-dir', dataDir], env: { VIGIL_ADMIN_TOKEN: TOKEN } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await vigil?.stop();
  await target?.close();
});

describe('status page of a running prober', () => {
  it('shows components, statuses, uptime and the seeded incident, and nothing private', async () => {
    await waitFor(async () => {
      const body = (await (await fetch(`${vigil.baseUrl}/api/v1/checks`)).json()) as {
        checks: Array<{ status: string }>;
      };
      return body.checks.every((check) => check.status === 'healthy');
    }, 20_000);
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    await page.goto(`${vigil.baseUrl}/`);
    const text = await page.locator('body').innerText();
    expect(text).toContain('Acme status');
    expect(text).toContain('Website');
    expect(text).toContain('Home page');
    expect(text).toMatch(/Operational/);
    // One hour down in the last 72 h of two checks: the component's 7-day uptime is below 100 %.
    expect(text).toMatch(/7 days\s*99\.\d+\s*%/);
    // The probe's own message names what it probed: visitors read neutral words, the admin token the message.
    expect(text).toContain('unexpected answer');
    expect(text).not.toContain('HTTP 502, expected 200');
    expect(text).not.toContain('Infrastructure');
    expect(text).not.toContain('Primary database');
    await mkdir(OUTPUT, { recursive: true });
    await page.screenshot({ path: `${OUTPUT}/status-page-e2e.png`, fullPage: true });

    await page.goto(`${vigil.baseUrl}/?token=${TOKEN}`);
    const privateText = await page.locator('body').innerText();
    expect(privateText).toContain('Infrastructure');
    expect(privateText).toContain('Primary database');
    expect(privateText).toContain('HTTP 502, expected 200');
    await page.close();
  });

  it('keeps results, incidents and SLA across a restart', async () => {
    const sla = async (): Promise<number> => {
      const body = (await (await fetch(`${vigil.baseUrl}/api/v1/sla?period=7d&check=api_root`)).json()) as {
        checks: Array<{ uptime_percent: number }>;
      };
      return body.checks[0]!.uptime_percent;
    };
    const before = await sla();
    expect(before).toBeGreaterThan(98);
    expect(before).toBeLessThan(99);
    const results = async (): Promise<number> =>
      (
        (await (await fetch(`${vigil.baseUrl}/api/v1/checks/api_root/results?limit=10000`)).json()) as {
          results: unknown[];
        }
      ).results.length;
    const countBefore = await results();

    expect(await vigil.stop()).toBe(0);
    vigil = await startVigil(configDir, { args: ['--data-dir', dataDir], env: { VIGIL_ADMIN_TOKEN: TOKEN } });

    expect(Math.abs((await sla()) - before)).toBeLessThan(0.05);
    expect(await results()).toBeGreaterThanOrEqual(countBefore);
    const incidents = (await (await fetch(`${vigil.baseUrl}/api/v1/incidents?check=api_root`)).json()) as {
      incidents: Array<{ id: string; state: string; failures: number }>;
    };
    expect(incidents.incidents).toContainEqual(
      expect.objectContaining({ id: 'seeded-api-incident', state: 'closed', failures: 120 }),
    );
    const checks = (await (await fetch(`${vigil.baseUrl}/api/v1/checks`)).json()) as {
      checks: Array<{ id: string; last_result: unknown }>;
    };
    expect(checks.checks.find((check) => check.id === 'api_root')!.last_result).not.toBeNull();
  });
});

describe('a check page', () => {
  it('shows the response-time chart over 24 hours and 7 days, the latest results and the incident', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
    await page.goto(`${vigil.baseUrl}/`);
    await page.getByRole('link', { name: /API root/ }).click();
    expect(new URL(page.url()).pathname).toBe('/checks/api_root');
    expect(await page.locator('h1').innerText()).toBe('API root');
    const chart = page.locator('svg.chart');
    expect(await chart.getAttribute('aria-label')).toBe('Response time of API root over the last 24 hours');
    expect(await chart.locator('polyline').count()).toBeGreaterThan(0);
    expect(await chart.boundingBox()).toMatchObject({ width: expect.any(Number) as number });
    expect((await chart.boundingBox())!.width).toBeGreaterThan(1000);
    expect(await page.locator('table.results tbody tr').count()).toBe(20);
    await page.screenshot({ path: `${OUTPUT}/check-page-24h.png`, fullPage: true });

    await page.getByRole('link', { name: '7 days' }).click();
    expect(await page.locator('svg.chart').getAttribute('aria-label')).toContain('last 7 days');
    // The hour the API was down, 30 hours ago, is a red mark under the line; its incident is listed.
    expect(await page.locator('svg.chart rect.fail').count()).toBeGreaterThan(0);
    expect(await page.locator('section[aria-labelledby="incidents-title"]').innerText()).toContain('unexpected answer');
    await page.screenshot({ path: `${OUTPUT}/check-page-7d.png`, fullPage: true });

    expect((await fetch(`${vigil.baseUrl}/checks/db_primary`)).status).toBe(404);
    expect((await fetch(`${vigil.baseUrl}/checks/db_primary?token=${TOKEN}`)).status).toBe(200);
    await page.close();
  });
});

describe('a fresh install', () => {
  let fresh: VigilProcess | undefined;
  afterAll(async () => {
    await fresh?.stop();
  });

  it('says how much data each figure rests on, stays uncoloured, and names no internal host:port', async () => {
    const closedPort = await unusedPort();
    const hidden = `127.0.0.1:${closedPort}`;
    const now = Date.now();
    const freshData = makeTempDir('vigil-e2e-fresh');
    const store = await SqliteStore.open(path.join(freshData, 'vigil.db'));
    // Six minutes of history: the shop's API answered 500 to two probes in five.
    const results: StoredResult[] = [];
    for (let at = now - 6 * MINUTE, index = 0; at < now - STEP; at += STEP / 3, index++) {
      for (const checkId of ['shop_home', 'shop_api']) {
        const down = checkId === 'shop_api' && index % 5 < 2;
        results.push({
          checkId,
          status: down ? 'down' : 'healthy',
          ...(down ? { reason: 'status_code' as const } : {}),
          message: down ? 'HTTP 500, expected 200' : 'HTTP 200',
          startedAt: at,
          finishedAt: at + 30,
          durationMs: 30 + (index % 4) * 6,
          phases: {},
          consecutiveFailures: down ? 1 : 0,
          inMaintenance: false,
        });
      }
    }
    await store.insertResults(results);
    await store.close();
    const dir = writeConfigDir({
      'checks.yml': `
groups:
  - name: shop
    interval: 10s
    timeout: 2s
    checks:
      - {id: shop_home, name: Shop home, endpoint: {url: "${target.url}/ok"}}
      - {id: shop_api, name: Shop API, endpoint: {url: "${target.url}/ok"}}
      - {id: shop_db, name: Shop database, type: tcp, target: "${hidden}"}
`,
      'status-page.yml': `
title: Fresh shop
components:
  - {id: shop, name: Shop, checks: [shop_home, shop_api, shop_db]}
`,
    });
    fresh = await startVigil(dir, { args: ['--data-dir', freshData], env: { VIGIL_ADMIN_TOKEN: TOKEN } });
    const admin = { authorization: `Bearer ${TOKEN}` };
    await waitFor(async () => {
      const body = await (await fetch(`${fresh!.baseUrl}/api/v1/checks`, { headers: admin })).text();
      return body.includes(`connection refused by ${hidden}`);
    }, 20_000);

    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${fresh.baseUrl}/`);
    const uptime = page.locator('ul.uptime li').first();
    expect(await uptime.innerText()).toMatch(/^24 hours \d+\.\d\d %\s+since \d\d:\d\d$/);
    expect(await uptime.getAttribute('class')).toBe('unjudged');
    expect(await page.locator('ul.uptime li.breached, ul.uptime li.warning').count()).toBe(0);
    expect(await page.locator('.bars span.before').count()).toBe(89);
    expect(await page.locator('body').innerText()).toMatch(/Monitored since \d\d:\d\d/);
    // The page uses the wide viewport rather than a narrow column in its middle.
    expect((await page.locator('main').boundingBox())!.width).toBeGreaterThan(1200);
    await page.screenshot({ path: `${OUTPUT}/status-page-fresh-install.png`, fullPage: true });
    await page.goto(`${fresh.baseUrl}/checks/shop_db`);
    expect(await page.locator('.banner').innerText()).toContain('not reachable');
    await page.screenshot({ path: `${OUTPUT}/check-page-fresh-install.png`, fullPage: true });
    await page.close();

    for (const publicPath of [
      '/',
      '/api/v1/status',
      '/api/v1/checks',
      '/api/v1/checks/shop_db/results',
      '/api/v1/incidents',
      '/checks/shop_db',
    ]) {
      const body = await (await fetch(`${fresh.baseUrl}${publicPath}`)).text();
      expect(body, publicPath).not.toContain(hidden);
    }
    const withToken = await (await fetch(`${fresh.baseUrl}/api/v1/checks/shop_db/results`, { headers: admin })).text();
    expect(withToken).toContain(hidden);
  });
});

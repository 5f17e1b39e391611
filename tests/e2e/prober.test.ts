// The prober as a user runs it: the built CLI with a checks.yml against real local targets, scraped over HTTP.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unusedPort } from '../helpers/ports.js';
import { startHttpTarget } from '../helpers/http-target-server.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import {
  runVigil,
  sampleValue,
  scrape,
  startVigil,
  writeConfigDir,
  type VigilProcess,
} from '../helpers/vigil-process.js';
import { waitFor } from '../helpers/wait-for.js';

let target: { url: string; close(): Promise<void> };
let closedPort: number;
let vigil: VigilProcess;
let configDir: string;
/** POST /-/reload needs it. */
const ADMIN_TOKEN = 'e2e-admin-token';
const reload = () =>
  fetch(`${vigil.baseUrl}/-/reload`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

function checksYml(extra = ''): string {
  return `
groups:
  - name: e2e
    interval: 10s
    timeout: 2s
    checks:
      - {id: web_ok, name: Web OK, component: web, service: shop, endpoint: {url: "${target.url}/ok"},
         validation: {status_code: 200, body: {type: json, json_path: [{path: "$.status", equals: "ok"}]}},
         performance: {target_ms: 100, warn_threshold_ms: 1000, critical_threshold_ms: 1500}}
      - {id: web_slow, endpoint: {url: "${target.url}/slow?ms=400"}, performance: {warn_threshold_ms: 200}}
      - {id: web_500, endpoint: {url: "${target.url}/status/500"}, validation: {status_code: 200}}
      - {id: web_hang, endpoint: {url: "${target.url}/hang"}, timeout: 1s}
      - {id: web_wrong_json, endpoint: {url: "${target.url}/json/wrong"},
         validation: {body: {type: json, json_path: [{path: "$.status", equals: "ok"}]}}}
      - {id: port_closed, type: tcp, target: "127.0.0.1:${closedPort}"}
${extra}`;
}

beforeAll(async () => {
  target = await startHttpTarget();
  closedPort = await unusedPort();
  configDir = writeConfigDir({ 'checks.yml': checksYml() });
  vigil = await startVigil(configDir, { env: { VIGIL_ADMIN_TOKEN: ADMIN_TOKEN } });
});

afterAll(async () => {
  await vigil?.stop();
  await target?.close();
});

async function waitForAllRun(ids: string[]): Promise<string> {
  let text = '';
  await waitFor(
    async () => {
      text = await scrape(vigil.baseUrl);
      return ids.every(
        (check) => sampleValue(text, 'uptime_check_last_run_timestamp_seconds', { check }) !== undefined,
      );
    },
    25_000,
    () =>
      `every check to run once; last scrape:\n${text
        .split('\n')
        .filter((l) => l.startsWith('uptime_check_status'))
        .join('\n')}`,
  );
  return text;
}

describe('vigil prober against real targets', () => {
  it('shows each check status and reason on /metrics and /api/v1/checks', async () => {
    const ids = ['web_ok', 'web_slow', 'web_500', 'web_hang', 'web_wrong_json', 'port_closed'];
    const text = await waitForAllRun(ids);
    const status = (check: string): number | undefined => sampleValue(text, 'uptime_check_status', { check });
    expect(status('web_ok')).toBe(0);
    expect(status('web_slow')).toBe(1);
    expect(status('web_500')).toBe(2);
    expect(status('web_hang')).toBe(2);
    expect(status('web_wrong_json')).toBe(2);
    expect(status('port_closed')).toBe(2);

    const labels = { check: 'web_ok', name: 'Web OK', group: 'e2e', component: 'web', service: 'shop' };
    expect(sampleValue(text, 'uptime_check_success', labels)).toBe(1);
    expect(sampleValue(text, 'uptime_check_http_status_code', labels)).toBe(200);
    expect(sampleValue(text, 'uptime_check_threshold_seconds', { ...labels, level: 'warn' })).toBe(1);
    expect(
      sampleValue(text, 'uptime_check_phase_duration_seconds', { ...labels, phase: 'processing' }),
    ).toBeGreaterThan(0);
    expect(sampleValue(text, 'uptime_checks_total', { ...labels, result: 'healthy' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'uptime_check_success', { check: 'web_500' })).toBe(0);
    expect(sampleValue(text, 'uptime_check_http_status_code', { check: 'web_500' })).toBe(500);
    expect(sampleValue(text, 'uptime_check_duration_seconds', { check: 'web_slow' })).toBeGreaterThanOrEqual(0.4);
    expect(sampleValue(text, 'uptime_checks_total', { check: 'web_hang', result: 'timeout' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sampleValue(text, 'uptime_sla_target_percent', { check: 'web_ok' })).toBe(99.9);
    expect(text).toMatch(/uptime_sla_percent\{check="web_ok"[^}]*window="365d"\} NaN/);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);

    // The probes' own messages are for the admin token; without it the API words them neutrally.
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const api = (await (await fetch(`${vigil.baseUrl}/api/v1/checks`, { headers: admin })).json()) as {
      checks: Array<{ id: string; status: string; last_result: { reason: string | null; message: string } }>;
    };
    const byId = new Map(api.checks.map((c) => [c.id, c]));
    expect(byId.get('web_500')!.last_result).toMatchObject({ reason: 'status_code' });
    expect(byId.get('web_500')!.last_result.message).toContain('500');
    expect(byId.get('web_hang')!.last_result.reason).toBe('timeout');
    expect(byId.get('web_wrong_json')!.last_result.reason).toBe('json_path');
    expect(byId.get('port_closed')!.last_result.reason).toBe('connect');
    expect(byId.get('web_slow')!.last_result.reason).toBe('slow');
    expect(byId.get('web_ok')!.status).toBe('healthy');
  });

  it('passes promtool check metrics on a live scrape', async () => {
    await waitForAllRun(['web_ok']);
    const text = await scrape(vigil.baseUrl);
    const output = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(output.trim()).toBe('');
    // The prober's own health: what it schedules and how late probes start.
    expect(text).toMatch(/^vigil_prober_checks 6$/m);
    expect(text).toMatch(/^vigil_prober_runs_skipped_total 0$/m);
    expect(Number(/^vigil_prober_start_lag_seconds_count (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(6);
  });

  it('serves gzip when the scraper asks for it', async () => {
    const response = await fetch(`${vigil.baseUrl}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.text()).toContain('uptime_check_status{');
  });

  it('applies a valid reload without restart and refuses an invalid one, keeping the old checks running', async () => {
    await waitForAllRun(['web_ok']);
    const pid = vigil.child.pid;
    writeFileSync(
      path.join(configDir, 'checks.yml'),
      checksYml().replace(/ {6}- \{id: web_hang.*\n/, '') +
        `
  - name: added
    interval: 10s
    timeout: 2s
    checks:
      - {id: added_ok, endpoint: {url: "${target.url}/ok"}}
`,
    );
    const reloaded = await reload();
    expect(reloaded.status).toBe(200);
    let text = await scrape(vigil.baseUrl);
    expect(text).not.toContain('check="web_hang"');
    expect(text).toMatch(/uptime_check_status\{check="added_ok"[^}]*\} 3/);
    text = await waitForAllRun(['added_ok']);
    expect(sampleValue(text, 'uptime_check_status', { check: 'added_ok' })).toBe(0);

    writeFileSync(path.join(configDir, 'checks.yml'), 'groups:\n  - name: broken\n    interval: 5s\n    checks: []\n');
    const refused = await reload();
    expect(refused.status).toBe(400);
    const body = await refused.text();
    expect(body).toContain(`${path.join(configDir, 'checks.yml')}:3:15: groups[0].interval:`);

    // The old checks keep being probed: web_ok's last run moves on.
    const before = sampleValue(await scrape(vigil.baseUrl), 'uptime_check_last_run_timestamp_seconds', {
      check: 'web_ok',
    })!;
    await waitFor(
      async () =>
        sampleValue(await scrape(vigil.baseUrl), 'uptime_check_last_run_timestamp_seconds', { check: 'web_ok' })! >
        before,
      15_000,
    );
    expect(await scrape(vigil.baseUrl)).toContain('check="added_ok"');
    expect(vigil.child.pid).toBe(pid);
  }, 60_000);
});

describe('vigil lifecycle', () => {
  it('reloads on SIGHUP and exits 0 on SIGTERM', async () => {
    const dir = writeConfigDir({ 'checks.yml': `checks:\n  - {id: one, endpoint: {url: "${target.url}/ok"}}\n` });
    const process = await startVigil(dir);
    writeFileSync(path.join(dir, 'checks.yml'), `checks:\n  - {id: two, endpoint: {url: "${target.url}/ok"}}\n`);
    process.child.kill('SIGHUP');
    await waitFor(async () => (await scrape(process.baseUrl)).includes('check="two"'), 10_000);
    expect(await scrape(process.baseUrl)).not.toContain('check="one"');
    expect(await process.stop()).toBe(0);
  });

  it('exits 1 naming the address when its listen address is taken', async () => {
    const dir = writeConfigDir({ 'checks.yml': `checks:\n  - {id: one, endpoint: {url: "${target.url}/ok"}}\n` });
    const running = await startVigil(dir);
    const taken = `127.0.0.1:${running.port}`;
    const { code, stderr } = runVigil([
      'prober',
      '--config-dir',
      dir,
      '--prober-listen',
      taken,
      '--data-dir',
      makeTempDir('vigil-data'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain(`address already in use ${taken}`);
    expect(await running.stop()).toBe(0);
  });

  it('refuses to start on an invalid configuration, naming the problem', async () => {
    const dir = writeConfigDir({ 'checks.yml': 'checks:\n  - {id: Bad-Id, endpoint: {url: "http://127.0.0.1/"}}\n' });
    await expect(startVigil(dir)).rejects.toThrow(/checks\.yml:2:\d+: checks\[0\]\.id:/);
  });
});

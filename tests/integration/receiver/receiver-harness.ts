// Starts the receiver role in this process for a test: a temporary config and data directory, 127.0.0.1 on a port
// the system chooses, a clock the test moves, and small helpers to post notifications and call the admin API over
// real HTTP.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig, formatProblem } from '../../../src/config/index.js';
import type { Silences } from '../../../src/receiver/silences/alertmanager-silences.js';
import { ReceiverRole } from '../../../src/receiver-role.js';
import type { Store } from '../../../src/store/store.js';

export const ADMIN_TOKEN = 'admin-test-token';

/** A clock the test sets and moves; starts at a fixed, realistic time. */
export class ManualClock {
  constructor(public time = Date.UTC(2025, 4, 6, 9, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export interface HarnessOptions {
  /** config.yml text; checks.yml is a minimal one. */
  configYml?: string;
  env?: Record<string, string>;
  clock?: ManualClock;
  store?: Store;
  silences?: Silences;
  sweepPeriodMs?: number;
}

export interface ReceiverHarness {
  role: ReceiverRole;
  url: string;
  clock: ManualClock;
  dataDir: string;
  /** POSTs a notification as JSON (with the given headers) to the webhook. */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Calls the admin API with the admin token. */
  admin(pathAndQuery: string, init?: { method?: string; body?: unknown; token?: string | null }): Promise<{ status: number; body: any }>;
  /** Every stored alert, newest first, following the pagination. */
  allAlerts(query?: string): Promise<any[]>;
  stop(): Promise<void>;
}

const CHECKS_YML = 'checks:\n  - {id: api_root, endpoint: {url: "http://127.0.0.1:9/"}}\n';

export async function startReceiver(options: HarnessOptions = {}): Promise<ReceiverHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-receiver-'));
  await writeFile(path.join(dir, 'checks.yml'), CHECKS_YML);
  if (options.configYml !== undefined) await writeFile(path.join(dir, 'config.yml'), options.configYml);
  const env = { VIGIL_ADMIN_TOKEN: ADMIN_TOKEN, ...options.env };
  const loaded = loadConfig({ configDir: dir, env });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  const clock = options.clock ?? new ManualClock();
  const dataDir = path.join(dir, 'data');
  const role = await ReceiverRole.start({
    config: loaded.config,
    env,
    logger: pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' }),
    listen: { host: '127.0.0.1', port: 0 },
    dataDir,
    clock,
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.silences === undefined ? {} : { silences: options.silences }),
    sweepPeriodMs: options.sweepPeriodMs ?? 50,
  });
  const url = `http://127.0.0.1:${role.address.port}`;
  const harness: ReceiverHarness = {
    role,
    url,
    clock,
    dataDir,
    async post(body, headers = {}) {
      const response = await fetch(`${url}/api/v1/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json().catch(() => undefined) };
    },
    async admin(pathAndQuery, init = {}) {
      const token = init.token === undefined ? ADMIN_TOKEN : init.token;
      const response = await fetch(`${url}${pathAndQuery}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return { status: response.status, body: await response.json().catch(() => undefined) };
    },
    async allAlerts(query = '') {
      const alerts: any[] = [];
      let cursor: string | null = null;
      do {
        const page = await harness.admin(`/api/v1/alerts?limit=1000${query}${cursor ? `&cursor=${cursor}` : ''}`);
        if (page.status !== 200) throw new Error(`GET /api/v1/alerts answered ${page.status}: ${JSON.stringify(page.body)}`);
        alerts.push(...page.body.alerts);
        cursor = page.body.next_cursor;
      } while (cursor);
      return alerts;
    },
    async stop() {
      await role.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

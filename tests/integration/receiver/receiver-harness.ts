// Starts the receiver role in this process for a test: a temporary config and data directory, 127.0.0.1 on a port
// the system chooses, a clock the test moves, and small helpers to post notifications and call the admin API over
// real HTTP.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { loadConfig, formatProblem } from '../../../src/config/index.js';
import type { HistoryService } from '../../../src/receiver/history/history-service.js';
import type { presentAlert, presentAlertDetail, presentEvent } from '../../../src/receiver/history/present.js';
import type { IngestSummary } from '../../../src/receiver/ingest/ingest-service.js';
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

// The JSON the receiver answers, typed from its own presenters so a renamed field breaks the tests' build.
export type AlertView = ReturnType<typeof presentAlert>;
export type AlertEventView = ReturnType<typeof presentEvent>;
/** GET /api/v1/alerts/:id and every lifecycle action. */
export type AlertDetailView = ReturnType<typeof presentAlertDetail>;
/** GET /api/v1/alerts */
export type AlertPage = Awaited<ReturnType<HistoryService['list']>>;
/** GET /api/v1/alerts/summary */
export type AlertSummaryView = Awaited<ReturnType<HistoryService['summary']>>;
/** GET /api/v1/alerts/patterns */
export type AlertPatternsView = Awaited<ReturnType<HistoryService['patterns']>>;
/** The webhook's 200: what one notification stored. */
export interface StoredAnswer {
  status: 'stored';
  alerts: number;
  outcomes: IngestSummary['outcomes'];
  truncated_alerts: number;
}
/** Any refusal (4xx, 5xx); a lifecycle conflict also names the alert's state. */
export interface ErrorAnswer {
  error: string;
  state?: string;
}

/** An HTTP answer with its parsed JSON body (undefined when the body was not JSON). */
export interface JsonAnswer<Body> {
  status: number;
  body: Body;
}

export interface HarnessOptions {
  /** config.yml text; checks.yml is a minimal one unless `checksYml` is given. */
  configYml?: string;
  checksYml?: string;
  env?: Record<string, string>;
  clock?: ManualClock;
  store?: Store;
  silences?: Silences;
  sweepPeriodMs?: number;
  /** Where the role logs; silent unless VIGIL_TEST_LOG names a level. */
  logger?: Logger;
}

export interface ReceiverHarness {
  role: ReceiverRole;
  url: string;
  clock: ManualClock;
  dataDir: string;
  /** POSTs a notification as JSON (with the given headers) to the webhook; `Body` is the answer the test expects. */
  post<Body = StoredAnswer>(body: unknown, headers?: Record<string, string>): Promise<JsonAnswer<Body>>;
  /** Calls the admin API with the admin token; `Body` is the answer the test expects (one alert unless told). */
  admin<Body = AlertDetailView>(
    pathAndQuery: string,
    init?: { method?: string; body?: unknown; token?: string | null },
  ): Promise<JsonAnswer<Body>>;
  /** Every stored alert, newest first, following the pagination. */
  allAlerts(query?: string): Promise<AlertView[]>;
  stop(): Promise<void>;
}

const CHECKS_YML = 'checks:\n  - {id: api_root, endpoint: {url: "http://127.0.0.1:9/"}}\n';

export async function startReceiver(options: HarnessOptions = {}): Promise<ReceiverHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-receiver-'));
  await writeFile(path.join(dir, 'checks.yml'), options.checksYml ?? CHECKS_YML);
  if (options.configYml !== undefined) await writeFile(path.join(dir, 'config.yml'), options.configYml);
  const env = { VIGIL_ADMIN_TOKEN: ADMIN_TOKEN, ...options.env };
  const loaded = loadConfig({ configDir: dir, env });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  const clock = options.clock ?? new ManualClock();
  const dataDir = path.join(dir, 'data');
  const role = await ReceiverRole.start({
    config: loaded.config,
    env,
    logger: options.logger ?? pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' }),
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
    async post<Body>(body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${url}/api/v1/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return readJsonAnswer<Body>(response);
    },
    async admin<Body>(pathAndQuery: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
      const token = init.token === undefined ? ADMIN_TOKEN : init.token;
      const response = await fetch(`${url}${pathAndQuery}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return readJsonAnswer<Body>(response);
    },
    async allAlerts(query = '') {
      const alerts: AlertView[] = [];
      let cursor: string | null = null;
      do {
        const page: JsonAnswer<AlertPage> = await harness.admin<AlertPage>(
          `/api/v1/alerts?limit=1000${query}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        if (page.status !== 200)
          throw new Error(`GET /api/v1/alerts answered ${page.status}: ${JSON.stringify(page.body)}`);
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

/** The answer's status and JSON body, typed as the caller expects it (the tests assert what it holds). */
async function readJsonAnswer<Body>(response: Response): Promise<JsonAnswer<Body>> {
  const body = (await response.json().catch(() => undefined)) as Body;
  return { status: response.status, body };
}

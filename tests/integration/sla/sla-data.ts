// The data the SLA suites seed: two days of two checks with a down spell, a degraded spell, a prober gap and two
// maintenance windows, small enough to compute every figure by hand; and a year of two checks for the
// rollup-and-retention comparison. Also the configuration the SlaService and the RollupJob are given.

import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { CheckDefinition } from '../../../src/model/check.js';
import type { MaintenanceWindow } from '../../../src/model/maintenance.js';
import type { CheckStatus } from '../../../src/model/result.js';
import type { SlaServiceConfig } from '../../../src/sla/sla-service.js';
import type { Store, StoredResult } from '../../../src/store/store.js';
import { httpCheck } from '../../helpers/checks.js';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function storedResult(checkId: string, startedAt: number, status: CheckStatus): StoredResult {
  return {
    checkId,
    status,
    ...(status === 'healthy' ? {} : { reason: status === 'degraded' ? 'slow' : 'status_code' }),
    message: status === 'down' ? 'HTTP 503' : 'HTTP 200',
    startedAt,
    finishedAt: startedAt + 120,
    durationMs: 120,
    phases: {},
    consecutiveFailures: status === 'down' ? 1 : 0,
    inMaintenance: false,
  };
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, destination), lines };
}

/** Inserts in batches, as the result writer does. */
export async function insertAll(store: Pick<Store, 'insertResults'>, results: StoredResult[]): Promise<void> {
  for (let index = 0; index < results.length; index += 10_000)
    await store.insertResults(results.slice(index, index + 10_000));
}

// ---- Two days, by hand -------------------------------------------------------------------------------------------

/** Tuesday 2026-03-10 12:30 UTC (Berlin is UTC+1 until 29 March). */
export const NOW = Date.UTC(2026, 2, 10, 12, 30);
/** Both checks were added two days ago. */
export const START = NOW - 2 * DAY;
/** api: no results for an hour from here (Mon 06:30); the result before stands for its cap, 130 s, then unknown. */
export const GAP = NOW - 30 * HOUR;
/** api: down for 12 minutes from 07:30 today. */
export const DOWN = NOW - 5 * HOUR;
/** api: degraded for 6 minutes from 09:30 today. */
export const DEGRADED = NOW - 3 * HOUR;

/** api: every 60 s (timeout 10 s, so one result stands for at most 130 s). */
export const api = httpCheck('https://api.example.com/', {
  id: 'api',
  group: 'critical',
  component: 'backend',
  intervalMs: 60_000,
  timeoutMs: 10_000,
});
/** web: every 30 s; down every night 02:00–03:00 UTC, which is its maintenance window. */
export const web = httpCheck('https://www.example.com/', {
  id: 'web',
  group: 'edge',
  component: 'frontend',
  intervalMs: 30_000,
  timeoutMs: 5_000,
});

export const maintenance: MaintenanceWindow[] = [
  // 02:30–03:00 UTC today, api only.
  {
    kind: 'one-off',
    id: 'api_upgrade',
    start: '2026-03-10T03:30:00+01:00',
    end: '2026-03-10T03:00:00Z',
    scope: { checks: ['api'] },
  },
  // 03:00–04:00 Berlin = 02:00–03:00 UTC every day, the edge group.
  {
    kind: 'recurring',
    id: 'edge_nightly',
    cron: '0 3 * * *',
    durationMs: HOUR,
    timezone: 'Europe/Berlin',
    scope: { groups: ['edge'] },
  },
];

export const config: SlaServiceConfig = {
  checks: [api, web],
  sla: { targetPercent: 99.9, warningPercent: 99.5, criticalPercent: 99, countDegradedAsUp: true },
  statusPage: {
    components: [
      { id: 'backend', name: 'Backend', checks: ['api'], public: true, tier: 'gold' },
      { id: 'edge', name: 'Edge', checks: ['web'], public: true },
    ],
    tiers: { gold: 99.95 },
  },
  maintenance,
};

export function twoDays(): StoredResult[] {
  const results: StoredResult[] = [];
  for (let at = START; at < NOW; at += api.intervalMs) {
    if (at >= GAP && at < GAP + HOUR) continue;
    const status =
      at >= DOWN && at < DOWN + 12 * MINUTE
        ? 'down'
        : at >= DEGRADED && at < DEGRADED + 6 * MINUTE
          ? 'degraded'
          : 'healthy';
    results.push(storedResult('api', at, status));
  }
  for (let at = START; at < NOW; at += web.intervalMs) {
    const hourOfDay = new Date(at).getUTCHours();
    results.push(storedResult('web', at, hourOfDay === 2 ? 'down' : 'healthy'));
  }
  return results;
}

// ---- A year, generated -------------------------------------------------------------------------------------------

export const YEAR_NOW = Date.UTC(2026, 5, 15, 13, 27, 11);

export const yearChecks: CheckDefinition[] = [
  httpCheck('https://a.example.com/', {
    id: 'alpha',
    group: 'critical',
    component: 'backend',
    intervalMs: 10 * MINUTE,
    timeoutMs: 10_000,
  }),
  httpCheck('https://b.example.com/', {
    id: 'beta',
    group: 'edge',
    component: 'frontend',
    intervalMs: 10 * MINUTE,
    timeoutMs: 10_000,
  }),
];

export const yearMaintenance: MaintenanceWindow[] = [
  {
    kind: 'recurring',
    id: 'weekly',
    cron: '0 3 * * 0',
    durationMs: 2 * HOUR,
    timezone: 'Europe/Berlin',
    scope: { groups: ['critical'] },
  },
];

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** 367 days of one check every 10 minutes: down and degraded spells, prober gaps, a few `unknown` results. */
export function year(checkId: string, seed: number): StoredResult[] {
  const next = random(seed);
  const results: StoredResult[] = [];
  let spell: { status: CheckStatus; left: number } = { status: 'healthy', left: 0 };
  for (let at = YEAR_NOW - 367 * DAY + 7 * MINUTE; at < YEAR_NOW; at += 10 * MINUTE) {
    const roll = next();
    if (roll < 0.0005) at += 3 * HOUR; // the prober was away: a gap well beyond the cap
    if (spell.left-- <= 0) {
      if (roll < 0.003) spell = { status: 'down', left: 1 + Math.floor(next() * 12) };
      else if (roll < 0.006) spell = { status: 'degraded', left: 3 };
      else spell = { status: 'healthy', left: 0 };
    }
    const startedAt = at + Math.floor(next() * 20_000);
    if (startedAt < YEAR_NOW) results.push(storedResult(checkId, startedAt, roll > 0.9995 ? 'unknown' : spell.status));
  }
  return results;
}

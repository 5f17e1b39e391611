// The SLA engine end to end over a real store, registered once per backend: results seeded into the store, the
// rollup job run over them, the SlaService's reports, component figures, daily bars and metrics compared with
// figures computed by hand (sla-data.ts explains the data), maintenance excluded all the way, the same figures
// after a restart, and a year of data whose 365-day SLA still equals the raw computation after retention pruned
// the raw rows.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expandWindows } from '../../../src/maintenance/windows.js';
import type { MaintenanceWindow } from '../../../src/model/maintenance.js';
import { resultCapMs } from '../../../src/sla/check-maintenance.js';
import type { SlaReport } from '../../../src/sla/report.js';
import { RollupJob } from '../../../src/sla/rollup-job.js';
import { SlaService } from '../../../src/sla/sla-service.js';
import { summarize, uptimePercent } from '../../../src/sla/uptime.js';
import { RetentionJob } from '../../../src/store/retention-job.js';
import type { Store, StoredResult } from '../../../src/store/store.js';
import { match } from '../../helpers/match.js';
import {
  DAY,
  HOUR,
  MINUTE,
  NOW,
  START,
  YEAR_NOW,
  capturingLogger,
  config,
  insertAll,
  silentLogger,
  storedResult,
  twoDays,
  year,
  yearChecks,
  yearMaintenance,
} from './sla-data.js';
import { waitFor } from '../../helpers/wait-for.js';
import type { SlaFixture, SlaHarness } from './sla-harness.js';

// The hand computation. api, last 24 h: 1440 one-minute results, 30 of them in its maintenance window; 12 minutes
// down, 6 degraded (degraded counts as up). Last 7 days: the two days since it was added, less the maintenance
// and the unknown part of the gap (the hour without results, less the 70 s the result before it still covers).
const API_GAP_UNKNOWN_MIN = 60 - 70 / 60;
const API_24H = { measured: 1440 - 30, bad: 12 };
const API_7D = { measured: 2 * 1440 - 30 - API_GAP_UNKNOWN_MIN, bad: 12 };
const percentOf = ({ measured, bad }: { measured: number; bad: number }): number => ((measured - bad) / measured) * 100;

function apiReport24h(): Partial<SlaReport> {
  return {
    window: '24h',
    targetPercent: 99.95, // its component's tier
    uptimePercent: percentOf(API_24H),
    downtimeMinutes: 12,
    maintenanceMinutes: 30,
    checksTotal: 1410,
    checksSuccess: 1398,
    checksFailed: 12,
    status: 'warning', // below the target, above critical (99)
    errorBudgetRemainingPercent: ((0.0005 * 1410 - 12) / (0.0005 * 1410)) * 100,
  };
}

function expectReport(actual: SlaReport | undefined, expected: Partial<SlaReport>): void {
  expect(actual).toBeDefined();
  for (const [key, value] of Object.entries(expected)) {
    if (typeof value === 'number') expect(actual![key as keyof SlaReport], key).toBeCloseTo(value, 6);
    else expect(actual![key as keyof SlaReport], key).toBe(value);
  }
}

async function expectHandComputedReports(service: SlaService): Promise<void> {
  const day = await service.checkReports('24h');
  expectReport(day.get('api'), apiReport24h());
  // web is down every night 02:00–03:00 UTC, exactly its maintenance window: 100 %, an hour of maintenance.
  expectReport(day.get('web'), {
    targetPercent: 99.9,
    uptimePercent: 100,
    downtimeMinutes: 0,
    maintenanceMinutes: 60,
    checksTotal: 2880 - 120,
    checksFailed: 0,
    status: 'compliant',
  });
  const week = await service.checkReports('7d');
  expectReport(week.get('api'), {
    uptimePercent: percentOf(API_7D),
    downtimeMinutes: 12,
    maintenanceMinutes: 30,
    checksTotal: 2790,
  });
  expectReport(week.get('web'), { uptimePercent: 100, checksTotal: 5760 - 2 * 120 });
}

function newService(store: Store, now = (): number => NOW, overrides: Partial<typeof config> = {}): SlaService {
  const service = new SlaService({ store, now });
  service.setConfig({ ...config, ...overrides });
  return service;
}

function rollupJob(
  store: Store,
  now: () => number,
  checks = config.checks,
  windows = config.maintenance,
  budget?: number,
): RollupJob {
  const logger = silentLogger();
  return new RollupJob({
    store,
    checks: () => checks,
    maintenance: () => windows,
    logger,
    now,
    ...(budget ? { budget } : {}),
  });
}

/** The store, telling `seen` about every call of `method` before making it. */
function watched<K extends 'resultsInRange' | 'sumRollups'>(
  store: Store,
  method: K,
  seen: (...args: Parameters<Store[K]>) => void,
): Store {
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const storeMethod = value as (...args: unknown[]) => unknown;
      if (key !== method) return storeMethod.bind(target);
      return (...args: Parameters<Store[K]>) => {
        seen(...args);
        return storeMethod.apply(target, args);
      };
    },
  });
}

export function registerSlaSuite(harness: SlaHarness): void {
  describe(`SLA over the ${harness.backend} store`, () => {
    beforeAll(async () => harness.setUp?.());
    afterAll(async () => harness.tearDown?.());

    describe('two days of two checks', () => {
      let fixture: SlaFixture;
      let store: Store;

      beforeEach(async () => {
        fixture = await harness.create();
        store = await fixture.open();
        await insertAll(store, twoDays());
      });

      afterEach(async () => {
        await fixture.dispose();
      });

      it('reports the hand-computed figures from raw results alone', async () => {
        await expectHandComputedReports(newService(store));
        // From raw results, maintenance counts over the whole window, also before the check existed: seven nights.
        expect((await newService(store).checkReports('7d')).get('web')?.maintenanceMinutes).toBe(7 * 60);
      });

      it('reads raw results from the earliest one on, and counts the year before it exactly as the raw math does', async () => {
        const reads: number[] = [];
        const watching = watched(store, 'resultsInRange', (from) => reads.push(from));
        const summaries = await newService(watching).checkSummaries('365d');

        // Nothing is stored before START: the hours before it are not read one by one (365 days would be 365 reads).
        expect(Math.min(...reads)).toBe(START);
        expect(reads.length).toBeLessThanOrEqual(3);
        const from = NOW - 365 * DAY;
        const all = twoDays();
        for (const check of config.checks) {
          expect(summaries.get(check.id)).toStrictEqual(
            summarize({
              results: all.filter((result) => result.checkId === check.id),
              from,
              to: NOW,
              capMs: resultCapMs(check),
              maintenance: expandWindows(config.maintenance, check, from, NOW),
            }),
          );
        }
      });

      it('reads each daily rollup once for the five windows together, with the sums of each window alone', async () => {
        await rollupJob(store, () => NOW).runOnce();
        const daysRead: number[] = [];
        const watching = watched(store, 'sumRollups', (query) => {
          if (query.resolution === 'day') daysRead.push((query.to - query.from) / DAY);
        });
        const service = newService(watching);
        for (const window of ['24h', '7d', '30d', '90d', '365d'] as const) {
          expect(await service.checkSummaries(window)).toStrictEqual(await newService(store).checkSummaries(window));
        }
        // Whole days rolled up in the windows: 6, 29, 89 and 364, each window reading only the days the shorter
        // ones did not (read one by one, 488 days).
        expect(daysRead).toEqual([6, 23, 60, 275]);
      });

      it('rolls up every hour of every check and every complete day, and reports the same figures from the rollups', async () => {
        let clock = NOW;
        // A small budget: each check read alone, an hour per store call, three days per call for the daily rollups.
        const job = rollupJob(store, () => clock, config.checks, config.maintenance, 150);
        // From the day of the first result (Sunday 00:00) to the last complete hour (12:00 today): 60 hours, 2 days.
        expect(await job.runOnce()).toEqual({ hours: 60, days: 2, rollups: 60 * 2 + 2 * 2 });
        expect(await store.rolledUpTo('hour')).toBe(NOW - 30 * MINUTE);
        expect(await store.rolledUpTo('day')).toBe(NOW - 12 * HOUR - 30 * MINUTE);
        expect(await job.runOnce()).toEqual({ hours: 0, days: 0, rollups: 0 });
        clock = NOW + HOUR;
        expect(await job.runOnce()).toEqual({ hours: 1, days: 0, rollups: 2 });
        clock = NOW;

        // An hour before the check existed is a row of unknown time.
        const sundayMidnight = NOW - 2 * DAY - 12 * HOUR - 30 * MINUTE;
        const [empty] = await store.listRollups({
          resolution: 'hour',
          from: sundayMidnight,
          to: sundayMidnight + HOUR,
          checkIds: ['api'],
        });
        expect(empty).toMatchObject({ upMs: 0, downMs: 0, unknownMs: HOUR, checksTotal: 0 });

        await expectHandComputedReports(newService(store));
        // From rollups, maintenance counts from the day of the first result on (Sunday): three nights.
        expect((await newService(store).checkReports('7d')).get('web')?.maintenanceMinutes).toBe(3 * 60);
      });

      it('excludes maintenance end to end: without the windows, web’s nightly hour counts as down', async () => {
        const service = newService(store, () => NOW, { maintenance: [] });
        const plain = await service.checkReports('24h');
        expectReport(plain.get('web'), {
          uptimePercent: ((1440 - 60) / 1440) * 100,
          downtimeMinutes: 60,
          maintenanceMinutes: 0,
        });
        // A reload that brings the windows back applies to what the service had computed already.
        service.setConfig(config);
        expectReport((await service.checkReports('24h')).get('web'), { uptimePercent: 100, maintenanceMinutes: 60 });

        await rollupJob(store, () => NOW).runOnce();
        const results = await store.listResults('web', { since: NOW - 10.5 * HOUR, until: NOW - 9.5 * HOUR });
        expect(results.filter((result) => result.status === 'down')).toHaveLength(120);
        const [report] = (await newService(store).checkReports('24h', ['web'])).values();
        expectReport(report, { uptimePercent: 100, downtimeMinutes: 0, maintenanceMinutes: 60 });
      });

      it('reports components by their checks and tiers', async () => {
        await rollupJob(store, () => NOW).runOnce();
        const components = await newService(store).componentReports('24h');
        expectReport(components.get('backend'), {
          targetPercent: 99.95,
          uptimePercent: percentOf(API_24H),
          status: 'warning',
        });
        expectReport(components.get('edge'), { targetPercent: 99.9, uptimePercent: 100, status: 'compliant' });
      });

      it('gives the metrics every window at once, and follows new results minute by minute', async () => {
        await rollupJob(store, () => NOW).runOnce();
        let clock = NOW;
        const service = newService(store, () => clock);
        const week = percentOf(API_7D); // the check is two days old: every longer window sees the same
        expect(await service.metricsFigures()).toEqual(
          new Map([
            [
              'api',
              {
                targetPercent: 99.95,
                percent: {
                  '24h': match.closeTo(percentOf(API_24H), 9),
                  '7d': match.closeTo(week, 9),
                  '30d': match.closeTo(week, 9),
                  '90d': match.closeTo(week, 9),
                  '365d': match.closeTo(week, 9),
                },
              },
            ],
            ['web', { targetPercent: 99.9, percent: { '24h': 100, '7d': 100, '30d': 100, '90d': 100, '365d': 100 } }],
          ]),
        );

        // Two minutes later api has failed twice; two healthy minutes left the 24-hour window at its start.
        await store.insertResults([storedResult('api', NOW, 'down'), storedResult('api', NOW + MINUTE, 'down')]);
        clock = NOW + 2 * MINUTE;
        expect((await service.metricsFigures()).get('api')?.percent['24h']).toBeCloseTo(
          percentOf({ measured: 1410, bad: 14 }),
          9,
        );

        // Ten minutes later, healthy again: still 14 bad minutes in the last 24 hours.
        await store.insertResults(
          Array.from({ length: 8 }, (_, i) => storedResult('api', NOW + (2 + i) * MINUTE, 'healthy')),
        );
        clock = NOW + 10 * MINUTE;
        expect((await service.metricsFigures()).get('api')?.percent['24h']).toBeCloseTo(
          percentOf({ measured: 1410, bad: 14 }),
          9,
        );
        // What the service kept from minute to minute adds up to what a new one computes afresh, to the count.
        for (const window of ['24h', '7d'] as const) {
          expect(await service.checkReports(window)).toEqual(await newService(store, () => clock).checkReports(window));
        }
      });

      it('draws the daily bars over UTC days', async () => {
        await rollupJob(store, () => NOW).runOnce();
        const service = newService(store);
        expect(await service.dailyUptime(['api'], 3, NOW)).toEqual([
          { day: '2026-03-08', uptimePercent: 100, downMinutes: 0, degradedMinutes: 0, maintenanceMinutes: 0 },
          { day: '2026-03-09', uptimePercent: 100, downMinutes: 0, degradedMinutes: 0, maintenanceMinutes: 0 },
          // 00:00–12:30: 750 minutes, 30 in maintenance, 12 down.
          {
            day: '2026-03-10',
            uptimePercent: match.closeTo(((720 - 12) / 720) * 100, 9),
            downMinutes: 12,
            degradedMinutes: 6,
            maintenanceMinutes: 30,
          },
        ]);
        // Both checks today: time-weighted together, minutes averaged over the two checks.
        expect(await service.dailyUptime(['api', 'web', 'gone'], 1, NOW)).toEqual([
          {
            day: '2026-03-10',
            uptimePercent: match.closeTo(((720 + 690 - 12) / (720 + 690)) * 100, 9),
            downMinutes: 6,
            degradedMinutes: 3,
            maintenanceMinutes: 45,
          },
        ]);
      });

      it('puts a window’s first hour together from either side of its start, or from raw results where the rollup may differ', async () => {
        await rollupJob(store, () => NOW).runOnce(); // rolled up to 12:00 today
        const edgeHour = NOW - DAY - 30 * MINUTE; // 12:00 yesterday: the 24-hour window starts inside it
        // Stored after the hour was rolled up: the rollup of yesterday 12:00 does not know it.
        const late = storedResult('api', edgeHour + 2.5 * MINUTE, 'down');
        // Configured after the hour was rolled up (the job above had no such window).
        const newWindow: MaintenanceWindow = {
          kind: 'one-off',
          id: 'late_change',
          start: new Date(edgeHour + 40 * MINUTE).toISOString(),
          end: new Date(edgeHour + 50 * MINUTE).toISOString(),
          scope: { checks: ['web'] },
        };
        const stages = [
          { what: 'as rolled up', stored: [], maintenance: config.maintenance },
          { what: 'a result stored late', stored: [late], maintenance: config.maintenance },
          { what: 'a maintenance window added', stored: [], maintenance: [...config.maintenance, newWindow] },
        ];
        const all = twoDays();
        for (const stage of stages) {
          await store.insertResults(stage.stored);
          all.push(...stage.stored);
          // At 12:05 and 12:25 the service reads [12:00, x) and takes it from the rollup; at 12:35 and 12:55 it
          // reads [x, 13:00).
          for (const minute of [5, 25, 35, 55]) {
            const now = edgeHour + DAY + minute * MINUTE;
            const summaries = await newService(store, () => now, { maintenance: stage.maintenance }).checkSummaries(
              '24h',
            );
            for (const check of config.checks) {
              const results = all
                .filter((result) => result.checkId === check.id && result.startedAt < now)
                .sort((a, b) => a.startedAt - b.startedAt);
              const expected = summarize({
                results,
                before: results.findLast((result) => result.startedAt < now - DAY),
                from: now - DAY,
                to: now,
                capMs: resultCapMs(check),
                maintenance: expandWindows(stage.maintenance, check, now - DAY, now),
              });
              expect(
                summaries.get(check.id),
                `${stage.what}: ${check.id} at 12:${String(minute).padStart(2, '0')}`,
              ).toStrictEqual(expected);
            }
          }
        }
      });

      it('rolls up in the background once started, and stops', async () => {
        const job = rollupJob(store, () => NOW);
        job.start(60_000);
        await waitFor(
          async () => (await store.rolledUpTo('day')) !== undefined,
          10_000,
          () => 'the daily rollup',
        );
        await job.stop();
        expect(await store.rolledUpTo('hour')).toBe(NOW - 30 * MINUTE);
        expect(await store.rolledUpTo('day')).toBe(NOW - 12 * HOUR - 30 * MINUTE);
      });

      it('gives the same figures after a restart', async () => {
        await rollupJob(store, () => NOW).runOnce();
        const before = {
          reports: await newService(store).checkReports('30d'),
          metrics: await newService(store).metricsFigures(),
        };
        await store.close();
        const reopened = await fixture.open();
        expect(await reopened.rolledUpTo('hour')).toBe(NOW - 30 * MINUTE);
        const after = {
          reports: await newService(reopened).checkReports('30d'),
          metrics: await newService(reopened).metricsFigures(),
        };
        expect(after).toEqual(before);
        await expectHandComputedReports(newService(reopened));
      });
    });

    describe('retention and rollup test: old raw rows pruned, 365-day SLA from rollups equals the raw computation within 0.01', () => {
      let fixture: SlaFixture;
      let store: Store;
      const yearData = new Map<string, StoredResult[]>(
        yearChecks.map((check, index) => [check.id, year(check.id, 42 + index)]),
      );

      beforeAll(async () => {
        fixture = await harness.create();
        store = await fixture.open();
        await insertAll(store, [...yearData.values()].flat());
      });

      afterAll(async () => {
        await fixture?.dispose();
      });

      it('prunes raw results past 90 days and still answers the year from rollups', async () => {
        const raw = new Map(yearChecks.map((check) => [check.id, rawPercent(check.id, 365 * DAY)]));
        // The shorter windows start where raw results are kept, and each is exact. The 90-day one starts just at the
        // retention's cut, in an hour whose rollup is pruned too; the hour before it is kept, so the result in force
        // at the window's start is there and its first minutes are known.
        const shorter = ['24h', '7d', '30d', '90d'] as const;
        const lengths = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY };
        const rawShorter = shorter.map(
          (window) => new Map(yearChecks.map((check) => [check.id, rawPercent(check.id, lengths[window])])),
        );

        const rollups = await rollupJob(store, () => YEAR_NOW, yearChecks, yearMaintenance).runOnce();
        expect(rollups.days).toBeGreaterThanOrEqual(366);

        const { logger, lines } = capturingLogger();
        const retention = {
          resultsMs: 90 * DAY,
          incidentsMs: 365 * DAY,
          alertsMs: 30 * DAY,
          hourlyRollupsMs: 90 * DAY,
        };
        const pruned = await new RetentionJob({
          store,
          retention: () => retention,
          logger,
          now: () => YEAR_NOW,
        }).runOnce();
        expect(pruned.results).toBeGreaterThan(2 * 270 * 144);
        expect(lines).toContainEqual(
          expect.objectContaining({ msg: 'retention: pruned old records', results: pruned.results }),
        );
        const cutHour = Math.floor((YEAR_NOW - 90 * DAY) / HOUR) * HOUR;
        expect(await store.resultsInRange(0, cutHour - HOUR)).toEqual([]);
        expect((await store.resultsInRange(cutHour - HOUR, YEAR_NOW - 90 * DAY)).length).toBeGreaterThan(0);

        const service = new SlaService({ store, now: () => YEAR_NOW });
        service.setConfig({ ...config, checks: yearChecks, maintenance: yearMaintenance });
        const year = await service.checkReports('365d');
        const shorterReports: Array<Map<string, SlaReport>> = [];
        for (const window of shorter) shorterReports.push(await service.checkReports(window));
        for (const check of yearChecks) {
          const report = year.get(check.id)!;
          // The year really is there, from daily rollups: far more than the 90 days of raw rows left.
          expect(report.checksTotal).toBeGreaterThan(360 * 140);
          expect(report.uptimePercent).toBeGreaterThan(95);
          expect(report.uptimePercent).toBeLessThan(99.99);
          expect(Math.abs(report.uptimePercent! - raw.get(check.id)!)).toBeLessThan(0.01);
          shorter.forEach((window, index) => {
            expect(shorterReports[index]!.get(check.id)!.uptimePercent, `${check.id} over ${window}`).toBeCloseTo(
              rawShorter[index]!.get(check.id)!,
              9,
            );
          });
        }
      });

      /** The window computed in one go from every raw result, before anything was rolled up or pruned. */
      function rawPercent(checkId: string, lengthMs: number): number {
        const check = yearChecks.find((candidate) => candidate.id === checkId)!;
        const from = YEAR_NOW - lengthMs;
        const results = yearData.get(checkId)!;
        const summary = summarize({
          results,
          before: results.findLast((result) => result.startedAt < from),
          from,
          to: YEAR_NOW,
          capMs: resultCapMs(check),
          maintenance: expandWindows(yearMaintenance, check, from, YEAR_NOW),
        });
        return uptimePercent(summary, true)!;
      }
    });
  });
}

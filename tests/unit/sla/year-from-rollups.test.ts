// A generated year of results (one every 10 minutes, with down and degraded spells, prober gaps and weekly maintenance):
// the 365-day SLA put together from daily and hourly rollups plus raw edges equals the raw computation.

import { describe, expect, it } from 'vitest';
import type { Interval } from '../../../src/interval.js';
import { expandWindows } from '../../../src/maintenance/windows.js';
import type { CheckStatus } from '../../../src/model/result.js';
import { DAY_MS, HOUR_MS, rollUpDays, summarizeBuckets } from '../../../src/sla/rollup.js';
import type { TimedStatus } from '../../../src/sla/spans.js';
import { combine, summarize, uptimePercent, type UptimeSummary } from '../../../src/sla/uptime.js';
import { planWindow } from '../../../src/sla/window-plan.js';
import type { Rollup } from '../../../src/store/store.js';

const MIN = 60_000;
const CAP = 20 * MIN;
const NOW = Date.UTC(2026, 5, 15, 13, 27, 11, 500);
const START = NOW - 367 * DAY_MS;

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function generateYear(): TimedStatus[] {
  const next = random(42);
  const results: TimedStatus[] = [];
  let spell: { status: CheckStatus; left: number } = { status: 'healthy', left: 0 };
  for (let t = START + 7 * MIN + 3_000; t < NOW; t += 10 * MIN) {
    const roll = next();
    if (roll < 0.0005) t += 3 * HOUR_MS; // the prober was away: a gap well beyond the cap
    if (spell.left-- <= 0)
      spell =
        roll < 0.003
          ? { status: 'down', left: 1 + Math.floor(next() * 12) }
          : roll < 0.006
            ? { status: 'degraded', left: 3 }
            : { status: 'healthy', left: 0 };
    results.push({ startedAt: t + Math.floor(next() * 20_000), status: roll > 0.9995 ? 'unknown' : spell.status });
  }
  return results;
}

function lastBefore(results: readonly TimedStatus[], at: number): TimedStatus | undefined {
  return results.findLast((r) => r.startedAt < at);
}

function inRanges(rollups: readonly Rollup[], ranges: readonly Interval[]): Rollup[] {
  return rollups.filter((r) => ranges.some((range) => r.bucketStart >= range.start && r.bucketStart < range.end));
}

describe('365-day SLA from rollups', () => {
  it('equals the raw computation (within 0.01 percentage points, in fact to the millisecond)', () => {
    const results = generateYear();
    const check = { id: 'api', group: 'critical', component: 'backend' };
    const windows = [
      {
        kind: 'recurring' as const,
        id: 'weekly',
        cron: '0 3 * * 0',
        durationMs: 2 * HOUR_MS,
        timezone: 'Europe/Berlin',
        scope: {},
      },
    ];
    const maintenance = expandWindows(windows, check, START, NOW);

    // What the rollup job would have stored: hours up to an hour ago, whole days up to today.
    const hourRolledTo = Math.floor(NOW / HOUR_MS) * HOUR_MS - HOUR_MS;
    const dayRolledTo = Math.floor(NOW / DAY_MS) * DAY_MS;
    const firstDay = Math.ceil(START / DAY_MS) * DAY_MS;
    const bucketInput = {
      checkId: 'api',
      capMs: CAP,
      maintenance,
      results,
      before: lastBefore(results, firstDay),
      from: firstDay,
    };
    const hourly = summarizeBuckets({ ...bucketInput, to: hourRolledTo, resolution: 'hour' });
    const daily = rollUpDays(hourly.filter((h) => h.bucketStart < dayRolledTo));

    const from = NOW - 365 * DAY_MS;
    const plan = planWindow(from, NOW, { hour: hourRolledTo, day: dayRolledTo });
    const raw = plan.raw.map((range) =>
      summarize({
        results,
        before: lastBefore(results, range.start),
        from: range.start,
        to: range.end,
        capMs: CAP,
        maintenance,
      }),
    );
    const parts: UptimeSummary[] = [...raw, ...inRanges(hourly, plan.hour), ...inRanges(daily, plan.day)];
    const fromRollups = combine(parts.map(summaryOf));
    const direct = summarize({ results, before: lastBefore(results, from), from, to: NOW, capMs: CAP, maintenance });

    // The plan really leans on daily rollups, and the data really has every kind of time in it.
    expect(plan.day.reduce((sum, r) => sum + r.end - r.start, 0)).toBe(364 * DAY_MS);
    expect(direct.downMs).toBeGreaterThan(0);
    expect(direct.degradedMs).toBeGreaterThan(0);
    expect(direct.maintenanceMs).toBeGreaterThan(100 * HOUR_MS);
    expect(direct.unknownMs).toBeGreaterThan(10 * HOUR_MS);

    const percent = uptimePercent(direct, true);
    expect(percent).toBeGreaterThan(95);
    expect(percent).toBeLessThan(99.99);
    expect(Math.abs(uptimePercent(fromRollups, true)! - percent!)).toBeLessThan(0.01);
    expect(Math.abs(uptimePercent(fromRollups, false)! - uptimePercent(direct, false)!)).toBeLessThan(0.01);
    expect(fromRollups).toEqual(direct);
  });
});

function summaryOf(part: UptimeSummary): UptimeSummary {
  return {
    upMs: part.upMs,
    degradedMs: part.degradedMs,
    downMs: part.downMs,
    maintenanceMs: part.maintenanceMs,
    unknownMs: part.unknownMs,
    checksTotal: part.checksTotal,
    checksSuccess: part.checksSuccess,
    checksFailed: part.checksFailed,
  };
}

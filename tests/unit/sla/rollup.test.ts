import { describe, expect, it } from 'vitest';
import type { CheckStatus } from '../../../src/model/result.js';
import { HOUR_MS, rollUpDays, summarizeBuckets } from '../../../src/sla/rollup.js';
import type { TimedStatus } from '../../../src/sla/spans.js';
import { combine, type UptimeSummary } from '../../../src/sla/uptime.js';
import type { Rollup } from '../../../src/store/store.js';

const MIN = 60_000;
const DAY0 = Date.UTC(2026, 0, 5);
const at = (minute: number): number => DAY0 + minute * MIN;
const result = (minute: number, status: CheckStatus): TimedStatus => ({ startedAt: at(minute), status });

function summaryOf(rollup: Rollup): UptimeSummary {
  const { checkId: _c, resolution: _r, bucketStart: _b, ...summary } = rollup;
  return summary;
}

describe('summarizeBuckets', () => {
  it('carries the result in force into the next hour, and keeps an hour without data as unknown time', () => {
    // 00:50 healthy covers [00:50, 01:10); 01:10 down covers [01:10, 01:40) by the 30-minute cap; 02:00–03:00 is empty.
    const rollups = summarizeBuckets({
      checkId: 'api',
      results: [result(50, 'healthy'), result(70, 'down')],
      from: at(0),
      to: at(180),
      resolution: 'hour',
      capMs: 30 * MIN,
      maintenance: [{ start: at(75), end: at(80) }],
    });
    expect(rollups).toEqual<Rollup[]>([
      {
        checkId: 'api',
        resolution: 'hour',
        bucketStart: at(0),
        upMs: 10 * MIN,
        degradedMs: 0,
        downMs: 0,
        maintenanceMs: 0,
        unknownMs: 50 * MIN,
        checksTotal: 1,
        checksSuccess: 1,
        checksFailed: 0,
      },
      {
        checkId: 'api',
        resolution: 'hour',
        bucketStart: at(60),
        upMs: 10 * MIN,
        degradedMs: 0,
        downMs: 25 * MIN,
        maintenanceMs: 5 * MIN,
        unknownMs: 20 * MIN,
        checksTotal: 1,
        checksSuccess: 0,
        checksFailed: 1,
      },
      {
        checkId: 'api',
        resolution: 'hour',
        bucketStart: at(120),
        upMs: 0,
        degradedMs: 0,
        downMs: 0,
        maintenanceMs: 0,
        unknownMs: 60 * MIN,
        checksTotal: 0,
        checksSuccess: 0,
        checksFailed: 0,
      },
    ]);
  });

  it('uses the result before the range for the first bucket', () => {
    const [first] = summarizeBuckets({
      checkId: 'api',
      results: [],
      before: result(-10, 'degraded'),
      from: at(0),
      to: at(60),
      resolution: 'hour',
      capMs: 20 * MIN,
      maintenance: [],
    });
    expect(first).toMatchObject({ degradedMs: 10 * MIN, unknownMs: 50 * MIN, checksTotal: 0 });
  });

  it('refuses a range not aligned to the resolution', () => {
    const input = { checkId: 'api', results: [], from: at(0), to: at(90), capMs: MIN, maintenance: [] };
    expect(() => summarizeBuckets({ ...input, resolution: 'hour' })).toThrow(RangeError);
    expect(() => summarizeBuckets({ ...input, to: at(120), resolution: 'day' })).toThrow(RangeError);
  });
});

describe('rollUpDays', () => {
  it('equals summarising each day directly', () => {
    const results: TimedStatus[] = [];
    for (let minute = 0; minute < 3 * 1440; minute += 7) {
      results.push(result(minute, minute % 91 < 7 ? 'down' : minute % 13 === 0 ? 'degraded' : 'healthy'));
    }
    const input = {
      checkId: 'api',
      results,
      from: DAY0,
      to: DAY0 + 3 * 24 * HOUR_MS,
      capMs: 10 * MIN,
      maintenance: [{ start: at(1400), end: at(1500) }],
    };
    const daily = summarizeBuckets({ ...input, resolution: 'day' });
    expect(rollUpDays(summarizeBuckets({ ...input, resolution: 'hour' }))).toEqual(daily);
    expect(daily).toHaveLength(3);
    // Every result counts once, except the 15 that started in maintenance (minutes 1400, 1407, ..., 1498).
    expect(combine(daily.map(summaryOf)).checksTotal).toBe(results.length - 15);
  });
});

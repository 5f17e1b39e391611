import { describe, expect, it } from 'vitest';
import type { CheckStatus } from '../../../src/model/result.js';
import { barLabel, barLevel, dayKeys } from '../../../src/status/daily-bars.js';
import {
  checkState,
  componentStatus,
  overallStatus,
  type CheckState,
  type ComponentStatus,
} from '../../../src/status/derive-status.js';
import { formatDuration, formatPercent } from '../../../src/status/format.js';
import type { DailyUptime } from '../../../src/status/status-source.js';

describe('checkState', () => {
  it.each<[CheckStatus, boolean, CheckState]>([
    ['healthy', false, 'operational'],
    ['degraded', false, 'degraded'],
    ['down', false, 'down'],
    ['unknown', false, 'unknown'],
    ['down', true, 'maintenance'],
    ['healthy', true, 'maintenance'],
  ])('%s with maintenance=%s shows %s', (status, inMaintenance, expected) => {
    expect(checkState({ status, inMaintenance })).toBe(expected);
  });
});

describe('componentStatus', () => {
  it.each<[CheckState[], ComponentStatus]>([
    [['operational', 'operational'], 'operational'],
    [['operational', 'degraded'], 'degraded_performance'],
    [['operational', 'down'], 'partial_outage'],
    [['degraded', 'down'], 'partial_outage'],
    [['down', 'down'], 'major_outage'],
    // A check in maintenance is expected to fail: the one still judged decides.
    [['down', 'maintenance'], 'major_outage'],
    [['operational', 'maintenance'], 'under_maintenance'],
    [['maintenance', 'maintenance'], 'under_maintenance'],
    [['degraded', 'maintenance'], 'degraded_performance'],
    // Not yet run checks neither help nor hurt.
    [['down', 'unknown'], 'major_outage'],
    [['operational', 'unknown'], 'operational'],
    [['unknown', 'unknown'], 'unknown'],
    [[], 'unknown'],
  ])('%j is %s', (states, expected) => {
    expect(componentStatus(states)).toBe(expected);
  });
});

describe('overallStatus', () => {
  it.each<[ComponentStatus[], ComponentStatus]>([
    [['operational', 'operational'], 'operational'],
    [['operational', 'degraded_performance'], 'degraded_performance'],
    [['operational', 'under_maintenance'], 'under_maintenance'],
    [['degraded_performance', 'under_maintenance'], 'degraded_performance'],
    [['operational', 'partial_outage', 'degraded_performance'], 'partial_outage'],
    // One component fully down among working ones is a partial outage of the whole.
    [['operational', 'major_outage'], 'partial_outage'],
    [['major_outage', 'major_outage'], 'major_outage'],
    [['major_outage', 'unknown'], 'major_outage'],
    [['operational', 'unknown'], 'operational'],
    [['unknown'], 'unknown'],
    [[], 'unknown'],
  ])('%j is %s', (components, expected) => {
    expect(overallStatus(components)).toBe(expected);
  });
});

describe('daily bars', () => {
  const day = (fields: Partial<DailyUptime>): DailyUptime => ({
    day: '2026-11-20',
    downMinutes: 0,
    degradedMinutes: 0,
    maintenanceMinutes: 0,
    ...fields,
  });

  it.each<[Partial<DailyUptime>, string, string]>([
    [{}, 'none', '2026-11-20: no data'],
    [{ uptimePercent: 100 }, 'ok', '2026-11-20: 100.00 % up'],
    [{ uptimePercent: 99.1667, downMinutes: 12 }, 'minor', '2026-11-20: 99.16 % up, 12 min down'],
    [{ uptimePercent: 99.99, downMinutes: 0.1 }, 'minor', '2026-11-20: 99.99 % up, <1 min down'],
    [{ uptimePercent: 100, degradedMinutes: 30 }, 'minor', '2026-11-20: 100.00 % up, 30 min degraded'],
    [{ uptimePercent: 97.5, downMinutes: 36 }, 'major', '2026-11-20: 97.50 % up, 36 min down'],
    [{ uptimePercent: 100, maintenanceMinutes: 90 }, 'maintenance', '2026-11-20: 100.00 % up, 1 h 30 min maintenance'],
    [{ maintenanceMinutes: 1440 }, 'maintenance', '2026-11-20: 1 d maintenance'],
  ])('%j is %s: "%s"', (fields, level, label) => {
    expect(barLevel(day(fields))).toBe(level);
    expect(barLabel(day(fields))).toBe(label);
  });

  it('lists the last days in UTC, today last', () => {
    const keys = dayKeys(Date.parse('2026-03-02T00:30:00Z'), 3);
    expect(keys).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
  });
});

describe('formatting', () => {
  it.each([
    [100, '100.00'],
    [99.996, '99.99'],
    [99.9, '99.90'],
    [0, '0.00'],
  ])('percent %s reads %s (never rounded up to a better figure)', (percent, text) => {
    expect(formatPercent(percent)).toBe(text);
  });

  it.each([
    [10_000, '<1 min'],
    [12 * 60_000, '12 min'],
    [60 * 60_000, '1 h'],
    [185 * 60_000, '3 h 5 min'],
    [52 * 3_600_000, '2 d 4 h'],
  ])('%s ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

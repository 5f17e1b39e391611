import { describe, expect, it } from 'vitest';
import type { SlaSettings, StatusPageComponent } from '../../../src/config/types.js';
import {
  buildReport,
  checkTarget,
  componentReport,
  errorBudgetRemaining,
  slaStatus,
  type SlaReport,
} from '../../../src/sla/report.js';
import { isSlaWindow, windowRange } from '../../../src/sla/windows.js';
import { emptySummary, type UptimeSummary } from '../../../src/sla/uptime.js';
import { match } from '../../helpers/match.js';

const MIN = 60_000;
const sla: SlaSettings = { targetPercent: 99.9, warningPercent: 99.5, criticalPercent: 99.0, countDegradedAsUp: true };
const minutes = (up: number, down: number, degraded = 0, extra: Partial<UptimeSummary> = {}): UptimeSummary => ({
  ...emptySummary(),
  upMs: up * MIN,
  downMs: down * MIN,
  degradedMs: degraded * MIN,
  ...extra,
});

describe('slaStatus (target 99.9, critical 99.0)', () => {
  it.each<[number | undefined, number, string]>([
    [100, 99.9, 'compliant'],
    [99.9, 99.9, 'compliant'],
    [99.89, 99.9, 'warning'],
    [99.2, 99.9, 'warning'],
    [99.0, 99.9, 'warning'],
    [98.99, 99.9, 'breached'],
    [undefined, 99.9, 'no_data'],
    // A tier target below the critical threshold leaves no warning band.
    [98.5, 98, 'compliant'],
    [97.9, 98, 'breached'],
  ])('%s against target %s is %s', (percent, target, expected) => {
    expect(slaStatus(percent, target, sla)).toBe(expected);
  });
});

describe('errorBudgetRemaining', () => {
  it.each<[string, UptimeSummary, number, boolean, number | undefined]>([
    // 10,000 measured minutes at 99.9 %: a budget of 10 minutes.
    ['unused', minutes(10_000, 0), 99.9, true, 100],
    ['a quarter used', minutes(9_997.5, 2.5), 99.9, true, 75],
    ['exactly used up', minutes(9_990, 10), 99.9, true, 0],
    ['overspent twice', minutes(9_980, 20), 99.9, true, -100],
    ['degraded counted as up', minutes(9_990, 0, 10), 99.9, true, 100],
    ['degraded counted as down', minutes(9_995, 0, 5), 99.9, false, 50],
    [
      'maintenance and unknown time give no budget',
      minutes(9_990, 10, 0, { maintenanceMs: 5_000 * MIN, unknownMs: 5_000 * MIN }),
      99.9,
      true,
      0,
    ],
    ['no data', emptySummary(), 99.9, true, undefined],
    ['a 100 % target has no budget', minutes(100, 0), 100, true, undefined],
  ])('%s', (_name, summary, target, degradedUp, expected) => {
    const remaining = errorBudgetRemaining(summary, target, degradedUp);
    if (expected === undefined) expect(remaining).toBeUndefined();
    else expect(remaining).toBeCloseTo(expected, 9);
  });
});

describe('buildReport', () => {
  it('reports a 30-day window: 99.95 %, 50 % of the budget left, compliant', () => {
    // 43,200 minutes in 30 days; 200 of them in maintenance; 21.5 down out of 43,000 measured.
    const summary = minutes(42_978.5, 21.5, 0, {
      maintenanceMs: 200 * MIN,
      checksTotal: 86_000,
      checksSuccess: 85_957,
      checksFailed: 43,
    });
    expect(buildReport('30d', summary, 99.9, sla)).toEqual<SlaReport>({
      window: '30d',
      targetPercent: 99.9,
      uptimePercent: match.closeTo(99.95, 9),
      downtimeMinutes: 21.5,
      maintenanceMinutes: 200,
      checksTotal: 86_000,
      checksSuccess: 85_957,
      checksFailed: 43,
      errorBudgetRemainingPercent: match.closeTo(50, 9),
      status: 'compliant',
    });
  });

  it('counts degraded time as downtime when degraded is not up: 99.3 %, warning', () => {
    const report = buildReport('24h', minutes(1_430, 3, 7), 99.9, { ...sla, countDegradedAsUp: false });
    expect(report.uptimePercent).toBeCloseTo(99.305556, 5);
    expect(report.downtimeMinutes).toBe(10);
    expect(report.status).toBe('warning');
  });

  it('leaves percent and budget out when there is no data', () => {
    const report = buildReport('7d', minutes(0, 0, 0, { unknownMs: 7 * 1_440 * MIN }), 99.9, sla);
    expect(report).not.toHaveProperty('uptimePercent');
    expect(report).not.toHaveProperty('errorBudgetRemainingPercent');
    expect(report.status).toBe('no_data');
  });
});

describe('targets', () => {
  const components: StatusPageComponent[] = [
    { id: 'shop', name: 'Shop', checks: ['web', 'api'], public: true, tier: 'gold' },
    { id: 'api', name: 'API', checks: ['api'], public: true, tier: 'platinum' },
    { id: 'misc', name: 'Misc', checks: ['cron'], public: true, tier: 'unknown-tier' },
    { id: 'infra', name: 'Infra', checks: ['db'], public: false },
  ];
  const tiers = { gold: 99.5, platinum: 99.99 };

  it.each([
    ['web', 99.5, "its component's tier"],
    ['api', 99.99, 'the highest of its tiers'],
    ['cron', 99.9, 'the global target when the tier is not defined'],
    ['db', 99.9, 'the global target for a component without tier'],
    ['orphan', 99.9, 'the global target for a check in no component'],
  ])('%s → %s (%s)', (checkId, expected) => {
    expect(checkTarget(checkId, sla, { components, tiers })).toBe(expected);
  });
});

describe('componentReport', () => {
  const component: StatusPageComponent = {
    id: 'shop',
    name: 'Shop',
    checks: ['a', 'b', 'new'],
    public: true,
    tier: 'gold',
  };

  it('is the time-weighted average of its checks: 1,430 + 1,410 up of 2,880 = 98.611 %', () => {
    const a = minutes(1_430, 10, 0, { checksTotal: 48, checksSuccess: 47, checksFailed: 1 });
    const b = minutes(1_410, 30, 0, { checksTotal: 48, checksSuccess: 45, checksFailed: 3 });
    const fresh = minutes(0, 0, 0, { unknownMs: 1_440 * MIN });
    const report = componentReport('24h', [a, b, fresh], component, sla, { gold: 99.5 });
    expect(report.uptimePercent).toBeCloseTo((2_840 / 2_880) * 100, 9);
    expect(report.targetPercent).toBe(99.5);
    expect(report.downtimeMinutes).toBe(20); // (10 + 30) / 2 checks with data
    // 98.611 % is below the critical 99.0 as well as the tier target.
    expect(report).toMatchObject({ checksTotal: 96, checksSuccess: 92, checksFailed: 4, status: 'breached' });
  });
});

describe('windows', () => {
  it('ends a window now and knows the window names', () => {
    expect(windowRange('7d', Date.UTC(2026, 0, 8))).toEqual({ from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 8) });
    expect(['24h', '7d', '30d', '90d', '365d', '1y', 'toString'].map(isSlaWindow)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

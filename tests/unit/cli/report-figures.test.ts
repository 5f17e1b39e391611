// The figures and the built insight of `vigil report`, from SLA summaries given by hand.

import { describe, expect, it } from 'vitest';
import { reportFigures, type ReportInput } from '../../../src/commands/report-figures.js';
import { formatPercent, insightSentences } from '../../../src/commands/report-insight.js';
import { reportCsv } from '../../../src/commands/report-format.js';
import type { SlaSettings } from '../../../src/config/types.js';
import type { UptimeSummary } from '../../../src/sla/uptime.js';
import type { Incident } from '../../../src/store/store.js';
import { httpCheck } from '../../helpers/checks.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.UTC(2025, 0, 10, 12, 0);
const SLA: SlaSettings = { targetPercent: 99.9, warningPercent: 99.5, criticalPercent: 99, countDegradedAsUp: true };

/** A day measured, `downMinutes` of it down. */
function day(downMinutes: number, degradedMinutes = 0): UptimeSummary {
  return {
    upMs: 24 * HOUR - (downMinutes + degradedMinutes) * MINUTE,
    degradedMs: degradedMinutes * MINUTE,
    downMs: downMinutes * MINUTE,
    maintenanceMs: 0,
    unknownMs: 0,
    checksTotal: 1440,
    checksSuccess: 1440 - downMinutes,
    checksFailed: downMinutes,
  };
}

const NO_DATA: UptimeSummary = { ...day(0), upMs: 0, unknownMs: 24 * HOUR, checksTotal: 0, checksSuccess: 0 };

function incident(checkId: string, openedAt: number, closedAt?: number, reason = 'timeout'): Incident {
  return {
    id: `${checkId}-${openedAt}`,
    checkId,
    openedAt,
    ...(closedAt === undefined ? {} : { closedAt }),
    firstReason: reason,
    firstMessage: reason,
    lastMessage: reason,
    failures: 3,
    lastFailureAt: closedAt ?? NOW,
  };
}

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  const checks = [
    httpCheck('http://a/', { id: 'api', name: 'API', service: 'shop', component: 'backend' }),
    httpCheck('http://b/', { id: 'web', name: 'Web', service: 'shop', component: 'frontend' }),
    httpCheck('http://c/', { id: 'cdn', service: 'edge', component: 'frontend' }),
  ];
  return {
    period: '24h',
    from: NOW - 24 * HOUR,
    to: NOW,
    checks,
    summaries: new Map([
      ['api', day(72)],
      ['web', day(0)],
      ['cdn', day(0)],
    ]),
    targets: new Map([
      ['api', 99.5],
      ['web', 99.95],
      ['cdn', 99.9],
    ]),
    sla: SLA,
    incidents: [incident('api', NOW - 5 * HOUR, NOW - 5 * HOUR + 72 * MINUTE)],
    ...overrides,
  };
}

describe('reportFigures', () => {
  it('gives each check its uptime, downtime and budget against its own target', () => {
    const figures = reportFigures(input());
    const api = figures.checks.find((check) => check.name === 'api')!;
    expect(api.uptimePercent).toBeCloseTo(95, 9); // 72 of 1,440 minutes down
    expect(api.downtimeMinutes).toBe(72);
    expect(api.targetPercent).toBe(99.5);
    // The budget: 0.5 % of a day, 7.2 minutes; 72 spent.
    expect(api.errorBudgetRemainingPercent).toBeCloseTo(-900, 9);
    expect(api.status).toBe('breached');
    expect(api.incidents).toBe(1);
    expect(figures.checks.find((check) => check.name === 'web')).toMatchObject({
      uptimePercent: 100,
      errorBudgetRemainingPercent: 100,
      status: 'compliant',
    });
  });

  it('adds a service’s checks up time-weighted, averages its downtime, and holds it to its strictest target', () => {
    const { services, components, overall } = reportFigures(input());
    expect(services.map((service) => service.name)).toEqual(['edge', 'shop']);
    const shop = services[1]!;
    expect(shop.checks).toBe(2);
    expect(shop.uptimePercent).toBeCloseTo(97.5, 9);
    expect(shop.downtimeMinutes).toBe(36);
    expect(shop.targetPercent).toBe(99.95);
    expect(shop.incidents).toBe(1);
    expect(components.map((component) => [component.name, component.checks])).toEqual([
      ['backend', 1],
      ['frontend', 2],
    ]);
    expect(overall.uptimePercent).toBeCloseTo((100 * (3 * 1440 - 72)) / (3 * 1440), 9);
    expect(overall.downtimeMinutes).toBe(24);
  });

  it('lists as offenders only the checks that lost time, lowest uptime first', () => {
    const figures = reportFigures(
      input({
        summaries: new Map([
          ['api', day(72)],
          ['web', day(0)],
          ['cdn', day(144)],
        ]),
      }),
    );
    expect(figures.offenders.map((check) => check.name)).toEqual(['cdn', 'api']);
  });

  it('counts degraded time as lost only when the SLA says degraded is not up', () => {
    const summaries = new Map([
      ['api', day(0, 30)],
      ['web', day(0)],
      ['cdn', day(0)],
    ]);
    expect(reportFigures(input({ summaries })).offenders).toEqual([]);
    const strict = reportFigures(input({ summaries, sla: { ...SLA, countDegradedAsUp: false } }));
    expect(strict.offenders.map((check) => [check.name, check.downtimeMinutes])).toEqual([['api', 30]]);
  });

  it('keeps the incidents of the period, newest first, an open one lasting until the end of the period', () => {
    const figures = reportFigures(
      input({
        incidents: [
          incident('api', NOW - 30 * HOUR, NOW - 25 * HOUR), // closed before the period
          incident('api', NOW - 26 * HOUR, NOW - 23 * HOUR), // reaches into it
          incident('cdn', NOW - 2 * HOUR, undefined, 'dns'),
        ],
      }),
    );
    expect(figures.incidents.map((found) => [found.checkId, found.durationMinutes, found.closedAt])).toEqual([
      ['cdn', 120, undefined],
      ['api', 180, NOW - 23 * HOUR],
    ]);
  });

  it('says no data rather than 100 % for a check without measured time', () => {
    const figures = reportFigures(input({ summaries: new Map([['api', NO_DATA]]) }));
    const web = figures.checks.find((check) => check.name === 'web')!;
    expect(web.uptimePercent).toBeUndefined();
    expect(web.status).toBe('no_data');
    expect(figures.overall.uptimePercent).toBeUndefined();
  });
});

describe('the built insight', () => {
  it('says how the whole did, names the worst offender and sums up the incidents', () => {
    const sentences = insightSentences(reportFigures(input()));
    expect(sentences).toEqual([
      'Over the last 24 hours, the 3 checks were up 98.33 % of the measured time, below the 99.95 % target: ' +
        'the error budget is overspent (-3233 % left).',
      'The worst offender was api (API) of service shop at 95.00 %, 1 hour 12 minutes down in 1 incident, most ' +
        'often timeout.',
      'There was 1 incident, none still open, the longest 1 hour 12 minutes on api; 1 of 3 checks missed its target.',
    ]);
  });

  it('says so when nothing was lost', () => {
    const summaries = new Map([
      ['api', day(0)],
      ['web', day(0)],
      ['cdn', day(0)],
    ]);
    expect(insightSentences(reportFigures(input({ summaries, incidents: [] })))).toEqual([
      'Over the last 24 hours, the 3 checks were up 100 % of the measured time, within the 99.95 % target with ' +
        '100 % of the error budget left.',
      'No check lost any time in the period.',
      'There were no incidents; every check with data met its target.',
    ]);
  });

  it('says when there is nothing to measure', () => {
    const summaries = new Map([['api', NO_DATA]]);
    expect(insightSentences(reportFigures(input({ summaries, incidents: [] })))[0]).toBe(
      'Over the last 24 hours, none of the 3 checks has results to measure.',
    );
  });

  it.each([
    [99.9534, '99.953 %'],
    [97.25, '97.25 %'],
    [100, '100 %'],
    [undefined, 'no data'],
  ])('writes %s as %s', (percent, text) => {
    expect(formatPercent(percent)).toBe(text);
  });
});

describe('the CSV', () => {
  it('quotes a name holding a comma and leaves a figure without data empty', () => {
    const checks = [httpCheck('http://a/', { id: 'api', service: 'shop, eu', component: 'backend' })];
    const figures = reportFigures(input({ checks, summaries: new Map([['api', NO_DATA]]), incidents: [] }));
    const csv = reportCsv({ figures, insight: { text: '', source: 'figures' }, incidentsTruncated: false });
    expect(csv.split('\n')[2]).toBe('service,"shop, eu",1,,99.5,0,0,,no_data,0');
  });
});

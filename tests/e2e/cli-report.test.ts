// `vigil report` as a user runs it: the built CLI on a store seeded with ten hours of a prober's history, in which
// payments' API was down for 30 minutes (10 of them inside a maintenance window) and the DNS name of www stopped
// resolving for its last five probes. The figures are worked out here by hand from the SLA's rules: each result
// stands for the time until the next one (the last for twice the interval plus the timeout), maintenance is taken out
// of both the up time and the measured time. Then the same figures from /api/v1/sla of a prober on that store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayedBudget } from '../../src/http/prober/api.js';
import { probeHistory, seedStore } from '../helpers/stored-history.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { runVigil, startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';

const MINUTE = 60_000;
const SECOND = 1_000;
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
/** The first probe: 20 hours ago; 600 probes a minute apart, the last ten hours ago. */
const T0 = NOW - 20 * 60 * MINUTE;
const PROBES = 600;
const at = (minute: number): number => T0 + minute * MINUTE;
const iso = (time: number): string => new Date(time).toISOString();

const CHECKS_YML = `
defaults: {interval: 60s, timeout: 10s}
checks:
  - {id: pay_api, name: Payments API, service: payments, component: backend, endpoint: {url: "http://pay.internal/"}}
  - {id: pay_db, name: Payments DB, service: payments, component: database, type: tcp, target: "db.internal:5432"}
  - {id: www_dns, name: WWW DNS, service: www, component: edge, type: dns, target: www.example.com}
`;
const CONFIG_YML = `
maintenance:
  - {id: pay_deploy, start: "${iso(at(100))}", end: "${iso(at(110))}", checks: [pay_api]}
`;
const STATUS_PAGE_YML = `
tiers: {gold: 99.95}
components:
  - {id: payments, name: Payments, checks: [pay_api, pay_db], tier: gold}
  - {id: www, name: WWW, checks: [www_dns]}
`;

// What each result stands for (s): 599 gaps of 60 s, and 2 × 60 s + 10 s for the last.
const SPAN_S = (PROBES - 1) * 60 + 130;
// pay_api: minutes 100–129 down, 100–109 inside maintenance: 20 minutes count, 10 are not measured.
const PAY_API = { measured: SPAN_S - 600, down: 1200 };
const PAY_DB = { measured: SPAN_S, down: 0 };
// www_dns: the last five probes down: four minutes and the last result's 130 s.
const WWW_DNS = { measured: SPAN_S, down: 4 * 60 + 130 };
const uptime = (...parts: Array<{ measured: number; down: number }>): number => {
  const measured = parts.reduce((sum, part) => sum + part.measured, 0);
  return ((measured - parts.reduce((sum, part) => sum + part.down, 0)) / measured) * 100;
};
const budgetLeft = (target: number, ...parts: Array<{ measured: number; down: number }>): number => {
  const budget = ((100 - target) / 100) * parts.reduce((sum, part) => sum + part.measured, 0);
  return ((budget - parts.reduce((sum, part) => sum + part.down, 0)) / budget) * 100;
};

interface UptimeJson {
  name: string;
  checks: number;
  uptime_percent: number | null;
  target_percent: number;
  downtime_minutes: number;
  maintenance_minutes: number;
  error_budget_remaining_percent: number | null;
  status: string;
  incidents: number;
}
interface ReportJson {
  period: string;
  overall: UptimeJson;
  services: UptimeJson[];
  components: UptimeJson[];
  checks: Array<UptimeJson & { check: string; service: string }>;
  worst_offenders: Array<{ check: string }>;
  incidents: Array<{ check: string; open: boolean; duration_minutes: number; reason: string; opened_at: string }>;
  insight: { text: string; source: string };
}

let configDir: string;
let dataDir: string;

beforeAll(async () => {
  configDir = writeConfigDir({
    'checks.yml': CHECKS_YML,
    'config.yml': CONFIG_YML,
    'status-page.yml': STATUS_PAGE_YML,
  });
  dataDir = makeTempDir('vigil-data');
  const end = at(PROBES);
  await seedStore(dataDir, [
    ...probeHistory('pay_api', T0, end, MINUTE, (_time, index) =>
      index >= 100 && index < 130
        ? { status: 'down', reason: 'timeout', message: 'no answer within 10s', inMaintenance: index < 110 }
        : undefined,
    ),
    ...probeHistory('pay_db', T0, end, MINUTE),
    ...probeHistory('www_dns', T0, end, MINUTE, (_time, index) =>
      index >= PROBES - 5 ? { status: 'down', reason: 'dns', message: 'NXDOMAIN: A www.example.com' } : undefined,
    ),
  ]);
});

const report = (...args: string[]) => runVigil(['report', ...args, '--config-dir', configDir, '--data-dir', dataDir]);

describe('vigil report', () => {
  it('answers --json with uptime per service, component and check, offenders, incidents and budgets', () => {
    const { code, stdout, stderr } = report('--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as ReportJson;
    expect(answer.period).toBe('24h');

    expect(answer.overall.checks).toBe(3);
    expect(answer.overall.uptime_percent).toBeCloseTo(uptime(PAY_API, PAY_DB, WWW_DNS), 9);
    // The whole's target is the strictest of its checks': payments' gold tier.
    expect(answer.overall.target_percent).toBe(99.95);

    const payments = answer.services.find((service) => service.name === 'payments')!;
    expect(payments.checks).toBe(2);
    expect(payments.uptime_percent).toBeCloseTo(uptime(PAY_API, PAY_DB), 9);
    expect(payments.uptime_percent).toBeCloseTo(98.3226, 4);
    expect(payments.downtime_minutes).toBeCloseTo(10, 9); // 20 minutes over two checks
    expect(payments.maintenance_minutes).toBeCloseTo(5, 9);
    expect(payments.error_budget_remaining_percent).toBeCloseTo(budgetLeft(99.95, PAY_API, PAY_DB), 6);
    expect(payments.status).toBe('breached');
    expect(payments.incidents).toBe(1);
    expect(answer.services.map((service) => service.name)).toEqual(['payments', 'www']);
    expect(answer.components.map((component) => component.name)).toEqual(['backend', 'database', 'edge']);

    const checks = new Map(answer.checks.map((check) => [check.check, check]));
    expect(checks.get('pay_api')).toMatchObject({ target_percent: 99.95, incidents: 1, service: 'payments' });
    expect(checks.get('pay_api')!.uptime_percent).toBeCloseTo(uptime(PAY_API), 9);
    expect(checks.get('pay_api')!.downtime_minutes).toBeCloseTo(20, 9);
    expect(checks.get('pay_db')).toMatchObject({ uptime_percent: 100, error_budget_remaining_percent: 100 });
    expect(checks.get('www_dns')).toMatchObject({ target_percent: 99.9, status: 'breached' });
    expect(checks.get('www_dns')!.uptime_percent).toBeCloseTo(uptime(WWW_DNS), 9);
    expect(checks.get('www_dns')!.error_budget_remaining_percent).toBeCloseTo(budgetLeft(99.9, WWW_DNS), 6);

    expect(answer.worst_offenders.map((check) => check.check)).toEqual(['pay_api', 'www_dns']);
    expect(answer.incidents).toHaveLength(2);
    expect(answer.incidents[0]).toMatchObject({ check: 'www_dns', open: true, reason: 'dns' });
    expect(answer.incidents[1]).toMatchObject({
      check: 'pay_api',
      open: false,
      reason: 'timeout',
      duration_minutes: 20,
    });
    expect(answer.incidents[1]!.opened_at).toBe(iso(at(110)));
    expect(answer.insight.source).toBe('figures');
  });

  it('prints tables a person reads, and two or three sentences of insight from the figures', () => {
    const { code, stdout } = report('--period', '7d');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Uptime report, last 7 days \(.* UTC to .* UTC\), maintenance excluded/);
    expect(stdout).toMatch(/^payments +2 +98\.32 % +99\.95 % +10 minutes +-\d+\.\d % +breached +1$/m);
    expect(stdout).toMatch(/^Worst offenders\nCHECK +SERVICE.*\npay_api +payments +96\.62 %/m);
    expect(stdout).toMatch(/^Incidents \(2\)\n/m);
    expect(stdout).toMatch(/ 20 minutes +pay_api +timeout +no answer within 10s$/m);
    expect(stdout).toMatch(/\(open\) +www_dns +dns/);
    const insight = stdout.split('Insight (from the figures)\n')[1]!.trim();
    expect(insight).toMatch(
      /^Over the last 7 days, the 3 checks were up 98\.54 % of the measured time, below the 99\.95 % target: the error budget is overspent/,
    );
    expect(insight).toContain(
      'The worst offender was pay_api (Payments API) of service payments at 96.62 %, 20 minutes down in 1 incident, most often timeout.',
    );
    expect(insight).toContain('There were 2 incidents, 1 still open (www_dns)');
    expect(insight).toContain('2 of 3 checks missed their target');
  });

  it('answers --csv with one row for the whole, each service, each component and each check', () => {
    const { code, stdout } = report('--csv', '--period', '30d');
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toBe(
      'scope,name,checks,uptime_percent,target_percent,downtime_minutes,maintenance_minutes,' +
        'error_budget_remaining_percent,status,incidents',
    );
    expect(rows.map((row) => row.split(',').slice(0, 2).join(','))).toEqual([
      'overall,overall',
      'service,payments',
      'service,www',
      'component,backend',
      'component,database',
      'component,edge',
      'check,pay_api',
      'check,pay_db',
      'check,www_dns',
    ]);
    const payments = rows[1]!.split(',');
    expect(Number(payments[3])).toBeCloseTo(uptime(PAY_API, PAY_DB), 5);
    expect(payments.slice(4, 7)).toEqual(['99.95', '10', '5']);
    expect(rows[7]).toBe('check,pay_db,1,100,99.95,0,0,100,compliant,0');
  });

  it('exits 2 for a period it does not know, or --json with --csv', () => {
    const unknown = report('--period', '3d');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('vigil: --period: expected one of 24h, 7d, 30d, 90d, 365d, got `3d`\n');
    expect(report('--json', '--csv').code).toBe(2);
  });

  it('exits 1 when the data directory holds no store', () => {
    const empty = runVigil(['report', '--config-dir', configDir, '--data-dir', makeTempDir('vigil-none')]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^vigil: no Vigil store at /);
  });
});

describe('vigil report beside a running Vigil', () => {
  let vigil: VigilProcess;

  beforeAll(async () => {
    // A prober on the same store, its checks disabled so that it adds no results of its own.
    const running = writeConfigDir({
      'checks.yml': CHECKS_YML.replace(/\{id: /g, '{enabled: false, id: '),
      'config.yml': CONFIG_YML,
      'status-page.yml': STATUS_PAGE_YML,
    });
    vigil = await startVigil(running, { args: ['--data-dir', dataDir] });
  });

  afterAll(async () => {
    await vigil?.stop();
  });

  it(
    'gives each check the uptime, downtime and budget /api/v1/sla gives it',
    async () => {
      const { code, stdout } = report('--json', '--period', '7d');
      expect(code).toBe(0);
      const answer = JSON.parse(stdout) as ReportJson;
      const api = (await (await fetch(`${vigil.baseUrl}/api/v1/sla?period=7d`)).json()) as { checks: UptimeJson[] };
      for (const sla of api.checks as Array<UptimeJson & { check: string }>) {
        const check = answer.checks.find((candidate) => candidate.check === sla.check)!;
        expect(check.uptime_percent).toBeCloseTo(sla.uptime_percent!, 9);
        expect(check.downtime_minutes).toBeCloseTo(sla.downtime_minutes, 9);
        expect(check.maintenance_minutes).toBeCloseTo(sla.maintenance_minutes, 9);
        // The API shows the budget as people read it: clamped at -100 % and rounded to two decimals.
        expect(displayedBudget(check.error_budget_remaining_percent ?? undefined)).toBe(
          sla.error_budget_remaining_percent,
        );
        expect(check.target_percent).toBe(sla.target_percent);
      }
      expect(api.checks).toHaveLength(3);
    },
    60 * SECOND,
  );
});

// The Grafana dashboards as Grafana and Prometheus would take them. First their structure: unique uids, the
// provisioned datasource's uid everywhere, every panel titled, described and queried, the group/component/check
// variables. Then every PromQL expression in them (panels, variables, annotations), with the variables substituted,
// runs against a real Prometheus that scraped a running `vigil start` (prober and receiver) with checks in every state
// and evaluated the shipped rules: each answers without error and with data. The shipped rules' own expressions run
// there too, and Prometheus reports every rule healthy after evaluating it.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target-server.js';
import { startPrometheus, type PrometheusServer, type QueryAnswer } from '../helpers/prometheus-server.js';
import { unusedPort } from '../helpers/ports.js';
import { createTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';
import {
  REPO_ROOT,
  sampleValue,
  scrape,
  startVigil,
  writeConfigDir,
  type VigilProcess,
} from '../helpers/vigil-process.js';
import { pollUntil, waitFor } from '../helpers/wait-for.js';
import { alert, notification } from './receiver/payloads.js';

const DASHBOARD_DIR = path.join(REPO_ROOT, 'grafana/dashboards');
const DATASOURCES = path.join(REPO_ROOT, 'grafana/provisioning/datasources/prometheus.yml');
const RULES_DIR = path.join(REPO_ROOT, 'prometheus/rules');

interface Target {
  refId: string;
  expr?: string;
  instant?: boolean;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: { uid?: string };
  targets?: Target[];
}
interface Variable {
  name: string;
  type: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  datasource?: { uid?: string };
  query?: { query?: string };
}
interface Annotation {
  name: string;
  builtIn?: number;
  expr?: string;
  datasource?: { uid?: string };
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
  annotations: { list: Annotation[] };
}

const dashboards = readdirSync(DASHBOARD_DIR)
  .filter((name) => name.endsWith('.json'))
  .map((file) => ({ file, dashboard: JSON.parse(readFileSync(path.join(DASHBOARD_DIR, file), 'utf8')) as Dashboard }));

const provisionedUid = (
  parseYaml(readFileSync(DATASOURCES, 'utf8')) as { datasources: Array<{ uid: string; type: string }> }
).datasources.find((source) => source.type === 'prometheus')?.uid;

/** A PromQL expression of a dashboard, with where it comes from for the test's name. */
interface Expression {
  where: string;
  expr: string;
  /** Grafana runs it at one instant (stat, table, bar gauge); otherwise over the dashboard's time range. */
  instant?: boolean;
}

function panelExpressions(): Expression[] {
  return dashboards.flatMap(({ file, dashboard }) =>
    dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        where: `${file} "${panel.title}" ${target.refId}`,
        expr: target.expr ?? '',
        instant: target.instant === true,
      })),
    ),
  );
}

function annotationExpressions(): Expression[] {
  return dashboards.flatMap(({ file, dashboard }) =>
    dashboard.annotations.list
      .filter((annotation) => annotation.expr !== undefined)
      .map((annotation) => ({ where: `${file} annotation "${annotation.name}"`, expr: annotation.expr! })),
  );
}

/** Each variable's `label_values(SELECTOR, LABEL)` query, split. */
function variableQueries(): Array<{ where: string; selector: string; label: string }> {
  return dashboards.flatMap(({ file, dashboard }) =>
    dashboard.templating.list.map((variable) => {
      const match = /^label_values\((.+),\s*(\w+)\)$/.exec(variable.query?.query ?? '');
      if (!match) throw new Error(`${file} variable ${variable.name}: not a label_values query`);
      return { where: `${file} $${variable.name}`, selector: match[1]!, label: match[2]! };
    }),
  );
}

/** Grafana's substitution: a multi-value variable becomes a regex alternation, "All" its allValue (`.*`). */
function substituted(expr: string, values: { group: string; component: string; check: string }): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$group', values.group)
    .replaceAll('$component', values.component)
    .replaceAll('$check', values.check);
}
const ALL = { group: '.*', component: '.*', check: '.*' };
const RANGE_STEP_SECONDS = 2;

/**
 * Expressions that cannot have data within a test of a minute, each with why; they must still parse and evaluate.
 * Matched by a fragment of the expression.
 */
const NO_DATA_IN_A_SHORT_RUN: Array<{ fragment: string; why: string }> = [
  {
    fragment: 'alertname="ErrorBudgetBurn",alertstate="firing"',
    why: "ErrorBudgetBurn needs an hour of a check's history (offset 1h) and 2 minutes pending",
  },
];

const noDataReason = (expr: string): string | undefined =>
  NO_DATA_IN_A_SHORT_RUN.find((entry) => expr.includes(entry.fragment))?.why;

describe('dashboard structure', () => {
  it('ships the three dashboards with unique uids and titles', () => {
    const uids = dashboards.map(({ dashboard }) => dashboard.uid);
    expect(uids.sort()).toEqual(['vigil-internals', 'vigil-sla', 'vigil-uptime-overview']);
    expect(new Set(dashboards.map(({ dashboard }) => dashboard.title)).size).toBe(dashboards.length);
  });

  it('names the provisioned Prometheus datasource by its uid everywhere', () => {
    expect(provisionedUid).toBe('vigil-prometheus');
    for (const { file, dashboard } of dashboards) {
      const used = [
        ...dashboard.panels.flatMap((panel) => [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)]),
        ...dashboard.templating.list.map((variable) => variable.datasource),
        ...dashboard.annotations.list.filter((a) => a.builtIn !== 1).map((a) => a.datasource),
      ];
      for (const datasource of used) expect(datasource?.uid, file).toBe(provisionedUid);
    }
  });

  it('gives every panel a unique id, a title, a description and at least one query', () => {
    for (const { file, dashboard } of dashboards) {
      expect(new Set(dashboard.panels.map((panel) => panel.id)).size, file).toBe(dashboard.panels.length);
      for (const panel of dashboard.panels) {
        const where = `${file} panel ${panel.id}`;
        expect(panel.title?.trim(), where).toBeTruthy();
        expect(panel.description?.trim(), `${where} "${panel.title}"`).toBeTruthy();
        expect(panel.targets?.length, `${where} "${panel.title}"`).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) expect(target.expr?.trim(), `${where} ${target.refId}`).toBeTruthy();
      }
    }
  });

  it('is templated by group, component and check, each multi-select with "All"', () => {
    for (const { file, dashboard } of dashboards) {
      const variables = dashboard.templating.list;
      expect(
        variables.map((variable) => variable.name),
        file,
      ).toEqual(['group', 'component', 'check']);
      for (const variable of variables) {
        expect(variable, `${file} $${variable.name}`).toMatchObject({ multi: true, includeAll: true, allValue: '.*' });
      }
    }
  });

  it('marks firing alerts as annotations', () => {
    for (const { file, dashboard } of dashboards) {
      expect(
        dashboard.annotations.list.some((annotation) => annotation.expr?.startsWith('ALERTS{')),
        file,
      ).toBe(true);
    }
  });
});

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string; expr: string }> }>;
}
const ruleFiles = readdirSync(RULES_DIR).filter((name) => name.endsWith('.yml') && !name.endsWith('.test.yml'));
const ruleExpressions: Expression[] = ruleFiles.flatMap((file) =>
  (parseYaml(readFileSync(path.join(RULES_DIR, file), 'utf8')) as RuleFile).groups.flatMap((group) =>
    group.rules.map((rule) => ({ where: `${file} ${rule.record ?? rule.alert}`, expr: rule.expr })),
  ),
);

describe('dashboard queries against Prometheus scraping a running Vigil', () => {
  let target: HttpTarget;
  let tlsTarget: HttpTarget;
  let certificates: TestCertificates;
  let vigil: VigilProcess;
  let prometheus: PrometheusServer;
  /** Where the time-series panels' range begins: Grafana's "last N minutes" over the whole run. */
  let startedAt: number;

  beforeAll(async () => {
    startedAt = Date.now();
    certificates = await createTestCertificates();
    target = await startHttpTarget();
    tlsTarget = await startHttpTarget({ tls: certificates.expiringSoon });
    const closedPort = await unusedPort();
    // Every status: healthy, degraded (slower than its warning threshold), down (a wrong status code, a refused
    // connection), unknown (disabled); and a TLS check, for the certificate's days left.
    const configDir = writeConfigDir({
      'checks.yml': `
groups:
  - name: web
    component: shop
    interval: 10s
    timeout: 3s
    checks:
      - {id: shop_ok, endpoint: {url: "${target.url}/ok"}, performance: {warn_threshold_ms: 2000, critical_threshold_ms: 2500}}
      - {id: shop_slow, endpoint: {url: "${target.url}/slow?ms=300"}, performance: {warn_threshold_ms: 100, critical_threshold_ms: 2500}}
      - {id: shop_500, endpoint: {url: "${target.url}/status/500"}, validation: {status_code: 200}}
  - name: edge
    component: gateway
    interval: 10s
    timeout: 3s
    checks:
      - {id: gateway_port, type: tcp, target: "127.0.0.1:${closedPort}"}
      - {id: gateway_cert, type: tls, target: "127.0.0.1:${tlsTarget.port}", verify: false}
      - {id: gateway_retired, endpoint: {url: "${target.url}/ok"}, enabled: false}
`,
    });
    // An AI at a port nobody listens on: every AI diagnosis falls back to the rules, which is what the
    // "AI fallbacks" panel counts.
    const aiPort = await unusedPort();
    vigil = await startVigil(configDir, {
      command: 'start',
      env: { OPENAI_BASE_URL: `http://127.0.0.1:${aiPort}/v1`, OPENAI_API_KEY: 'test-key' },
    });
    const ruleFilePaths = ruleFiles.map((file) => path.join(RULES_DIR, file));
    prometheus = await startPrometheus({
      jobs: { 'vigil-prober': [new URL(vigil.baseUrl).host], 'vigil-receiver': [new URL(vigil.receiverUrl!).host] },
      ruleFiles: ruleFilePaths,
    });
    // The receiver's counters at zero in Prometheus first: a rate needs the increase between two scrapes.
    await waitFor(
      async () =>
        ((await prometheus.query('vigil_notification_delivery_seconds_count == 0')).data?.result.length ?? 0) > 0,
      20_000,
      () => `a scrape of the receiver:\n${prometheus.output().slice(-2_000)}`,
    );
    // An alert from Alertmanager: the receiver stores it, diagnoses it and sends it to the console channel, so
    // the receiver's alert, delivery and diagnosis metrics have data.
    const webhook = await fetch(`${vigil.receiverUrl}/api/v1/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        notification([
          alert({
            labels: { alertname: 'ServiceDown', check: 'shop_500', severity: 'critical' },
            startsAt: Date.now(),
          }),
        ]),
      ),
    });
    expect(webhook.status).toBe(200);
    await waitFor(
      async () => {
        const text = await scrape(vigil.receiverUrl!);
        return (
          (sampleValue(text, 'vigil_notification_delivery_seconds_count', {}) ?? 0) > 0 &&
          (sampleValue(text, 'vigil_diagnosis_ai_fallbacks_total', {}) ?? 0) > 0
        );
      },
      30_000,
      () => `a sent notification and an AI fallback on the receiver:\n${vigil.output().slice(-3_000)}`,
    );
    // Until the SLA figures are refreshed (30 s after the first) they are NaN; the rate windows need two scrapes
    // of a probe's counters, and the recording rules an evaluation after that.
    await waitFor(
      async () => {
        const sla = await prometheus.query('uptime_sla_percent{check="shop_ok",window="24h"} >= 0');
        const lag = await prometheus.query('check:uptime_check_burn_rate:30m');
        const delivered = await prometheus.query('vigil_notification_delivery_seconds_count > 0');
        return [sla, lag, delivered].every((answer) => (answer.data?.result.length ?? 0) > 0);
      },
      75_000,
      () => `SLA figures, recorded burn rates and delivery counts in Prometheus:\n${prometheus.output().slice(-2_000)}`,
    );
  }, 150_000);

  afterAll(async () => {
    await prometheus?.stop();
    await vigil?.stop();
    await target?.close();
    await tlsTarget?.close();
    await certificates?.close();
  });

  function expectAnswered(answer: QueryAnswer, what: string): void {
    expect(answer.status, `${what}: ${answer.errorType ?? ''} ${answer.error ?? ''}`).toBe('success');
  }

  it('sees the checks in every status', async () => {
    const answer = await prometheus.query('count by (check) (uptime_check_status)');
    expectAnswered(answer, 'status');
    const statusOf = async (check: string): Promise<string | undefined> =>
      (await prometheus.query(`uptime_check_status{check="${check}"}`)).data?.result[0]?.value?.[1];
    expect(await statusOf('shop_ok')).toBe('0');
    expect(await statusOf('shop_slow')).toBe('1');
    expect(await statusOf('shop_500')).toBe('2');
    expect(await statusOf('gateway_port')).toBe('2');
    expect(await statusOf('gateway_retired')).toBe('3');
  });

  it.each(panelExpressions().map((expression) => [expression.where, expression]))(
    'answers %s with data',
    async (where, { expr, instant }) => {
      for (const values of [
        ALL,
        // Several values picked, as Grafana writes them.
        { group: '(web|edge)', component: '(shop|gateway)', check: '(shop_ok|shop_500|gateway_cert)' },
      ]) {
        const query = substituted(expr, values);
        const answer = instant
          ? await prometheus.query(query)
          : await prometheus.queryRange(query, startedAt, RANGE_STEP_SECONDS);
        expectAnswered(answer, `${where}: ${query}`);
        if (values !== ALL || noDataReason(expr) !== undefined) continue;
        expect(answer.data?.result.length, `${where} has no data: ${query}`).toBeGreaterThan(0);
        const numbers = answer.data!.result.flatMap((series) =>
          (series.values ?? [series.value!]).map(([, value]) => Number(value)),
        );
        expect(
          numbers.some((value) => !Number.isNaN(value)),
          `${where} answers only NaN: ${query}`,
        ).toBe(true);
      }
    },
  );

  it("lists the variables' values", async () => {
    for (const { where, selector, label } of variableQueries()) {
      const values = await prometheus.labelValues(label, substituted(selector, ALL));
      expect(values, where).toEqual(
        expect.arrayContaining(
          { group: ['web', 'edge'], component: ['shop', 'gateway'], check: ['shop_ok', 'gateway_cert'] }[label] ?? [],
        ),
      );
      expect(values.length, where).toBeGreaterThan(0);
    }
    const picked = await prometheus.labelValues(
      'check',
      substituted(variableQueries().find((query) => query.label === 'check')!.selector, {
        ...ALL,
        component: '(gateway)',
      }),
    );
    expect(picked.sort()).toEqual(['gateway_cert', 'gateway_port', 'gateway_retired']);
  });

  // Alerts fire after their `for` (2 minutes and more): in a short run they are pending. The annotation queries
  // read firing alerts; the same selectors with alertstate="pending" show they match the alerts the rules make.
  it.each(annotationExpressions().map((expression) => [expression.where, expression.expr]))(
    'answers the annotation %s, and matches pending alerts',
    async (where, expr) => {
      const query = substituted(expr, ALL);
      expectAnswered(await prometheus.query(query), `${where}: ${query}`);
      if (noDataReason(expr) !== undefined) return;
      const pending = query.replace('alertstate="firing"', 'alertstate="pending"');
      const answer = await pollUntil(
        () => prometheus.query(pending),
        (answer) => (answer.data?.result.length ?? 0) > 0,
        { timeoutMs: 15_000, intervalMs: 500 },
      );
      expect(answer.data?.result.length, `${where}: no pending alert matches ${pending}`).toBeGreaterThan(0);
    },
  );

  it.each(ruleExpressions.map((expression) => [expression.where, expression.expr]))(
    'answers the rule expression %s',
    async (where, expr) => {
      expectAnswered(await prometheus.query(expr), where);
    },
  );

  it('evaluates every shipped rule without error', async () => {
    const groups = await prometheus.ruleGroups();
    const names = ruleExpressions.map((expression) => expression.where.split(' ')[1]);
    const evaluated = groups.flatMap((group) => group.rules);
    expect(evaluated.map((rule) => rule.name).sort()).toEqual([...names].sort());
    for (const rule of evaluated) {
      expect({ rule: rule.name, health: rule.health, error: rule.lastError ?? '' }).toEqual({
        rule: rule.name,
        health: 'ok',
        error: '',
      });
    }
  });
});

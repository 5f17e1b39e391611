// Starts a throw-away Prometheus (Debian `prometheus`, binary /usr/bin/prometheus) for integration tests: its own
// temporary TSDB, listening only on 127.0.0.1 on a port chosen up front (Prometheus logs the port it was given, not
// the one it bound), scraping the given targets every second and evaluating the given rule files every second.

import type { ChildProcess } from 'node:child_process';
import { access, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onUnusedPort } from './ports.js';
import { spawnServer, stopper } from './server-process.js';
import { pollUntil } from './wait-for.js';

const BINARY = '/usr/bin/prometheus';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 20_000;

export interface PrometheusOptions {
  /** Scrape jobs: job name → `host:port` targets. */
  jobs: Record<string, string[]>;
  /** Absolute paths of rule files to load. */
  ruleFiles?: string[];
}

/** What the query API answers: `success` with data, or `error` with the error's type and message. */
export interface QueryAnswer {
  status: 'success' | 'error';
  /** An instant query's samples carry `value`, a range query's `values`. */
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>;
  };
  errorType?: string;
  error?: string;
}

export interface RuleGroupState {
  name: string;
  file: string;
  rules: Array<{ name: string; query: string; health: string; lastError?: string; type: string }>;
}

export interface PrometheusServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** An instant query at the current time. */
  query(expr: string): Promise<QueryAnswer>;
  /** A range query from `start` to now (Unix milliseconds), as a Grafana time-series panel runs it. */
  queryRange(expr: string, start: number, stepSeconds: number): Promise<QueryAnswer>;
  /** The values of a label on the series `match` selects. */
  labelValues(label: string, match: string): Promise<string[]>;
  /** Every loaded rule group with each rule's health after its last evaluation. */
  ruleGroups(): Promise<RuleGroupState[]>;
  output(): string;
  /** Kills the process and deletes its storage; safe to call twice. */
  stop(): Promise<void>;
}

export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  await access(BINARY, constants.X_OK).catch(() => {
    throw new Error(`${BINARY} not found: install the Debian package \`prometheus\``);
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  await writeFile(configFile, configText(options));
  try {
    return await onUnusedPort(async (port) => {
      const { child, output } = await launch(dir, configFile, port);
      return serverHandle(child, dir, port, output);
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function configText(options: PrometheusOptions): string {
  return JSON.stringify({
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: Object.entries(options.jobs).map(([job, targets]) => ({
      job_name: job,
      static_configs: [{ targets }],
    })),
  });
}

async function launch(
  dir: string,
  configFile: string,
  port: number,
): Promise<{ child: ChildProcess; output: () => string }> {
  const { child, output } = spawnServer(BINARY, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=${HOST}:${port}`,
    '--log.level=info',
  ]);
  const state = await pollUntil(
    async (): Promise<'ready' | 'exited' | 'starting'> => {
      if (child.exitCode !== null || child.signalCode !== null) return 'exited';
      const ready = await fetch(`http://${HOST}:${port}/-/ready`).then(
        (response) => response.ok,
        () => false,
      );
      return ready ? 'ready' : 'starting';
    },
    (state) => state !== 'starting',
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 },
  );
  if (state === 'ready') return { child, output };
  child.kill('SIGKILL');
  // The message keeps Prometheus's own words, so onUnusedPort sees "address already in use" and tries another port.
  throw new Error(
    `Prometheus did not start${state === 'exited' ? '' : ` within ${READY_TIMEOUT_MS} ms`}:\n${output().slice(-2_000)}`,
  );
}

function serverHandle(child: ChildProcess, dir: string, port: number, output: () => string): PrometheusServer {
  const url = `http://${HOST}:${port}`;
  const get = async <T>(apiPath: string, params: Record<string, string>): Promise<T> => {
    const response = await fetch(`${url}/api/v1/${apiPath}?${new URLSearchParams(params).toString()}`);
    return (await response.json()) as T;
  };
  return {
    url,
    output,
    query: (expr) => get<QueryAnswer>('query', { query: expr }),
    queryRange: (expr, start, stepSeconds) =>
      get<QueryAnswer>('query_range', {
        query: expr,
        start: String(start / 1000),
        end: String(Date.now() / 1000),
        step: String(stepSeconds),
      }),
    async labelValues(label, match) {
      const answer = await get<{ status: string; data?: string[]; error?: string }>(
        `label/${encodeURIComponent(label)}/values`,
        { 'match[]': match },
      );
      if (answer.status !== 'success') throw new Error(`label values of ${label} for ${match}: ${answer.error}`);
      return answer.data ?? [];
    },
    async ruleGroups() {
      const answer = await get<{ data: { groups: RuleGroupState[] } }>('rules', {});
      return answer.data.groups;
    },
    stop: stopper(child, dir),
  };
}

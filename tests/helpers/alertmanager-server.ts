// Starts a throw-away Alertmanager (Debian `prometheus-alertmanager`, binary /usr/bin/prometheus-alertmanager) for
// integration tests: its own temporary storage directory, listening only on 127.0.0.1 on a port the system chooses
// (read back from its "Listening on" log line), clustering off, and a minimal configuration whose one route sends
// every alert to a webhook (or to nowhere).

import type { ChildProcess } from 'node:child_process';
import { access, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnServer, stopper } from './server-process.js';
import { pollUntil } from './wait-for.js';

const BINARY = '/usr/bin/prometheus-alertmanager';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 20_000;

export interface AlertmanagerOptions {
  /** Where the one route sends notifications; none means a receiver without integrations. */
  webhookUrl?: string;
  /** Bearer token Alertmanager sends to the webhook. */
  webhookToken?: string;
  /** `max_alerts` of the webhook: more alerts in a group are cut and counted in truncatedAlerts. */
  maxAlerts?: number;
  /** Labels the route groups by; Alertmanager's default when absent is one group per alertname. */
  groupBy?: string[];
}

/** An alert as posted to Alertmanager's v2 API (what Prometheus sends). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** An alert as Alertmanager holds it: with its fingerprint and whether a silence mutes it. */
export interface HeldAlert extends PostableAlert {
  fingerprint: string;
  status: { state: 'unprocessed' | 'active' | 'suppressed'; silencedBy: string[]; inhibitedBy: string[] };
}

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

export interface AlertmanagerServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** Alerts as Alertmanager holds them, with the fingerprints it computed. */
  alerts(): Promise<HeldAlert[]>;
  silences(): Promise<Silence[]>;
  silence(id: string): Promise<Silence | undefined>;
  output(): string;
  /** Rewrites the configuration and reloads it, e.g. to send to a webhook that listens only once this server runs. */
  reconfigure(options: AlertmanagerOptions): Promise<void>;
  /** Kills the process and deletes its storage; safe to call twice. */
  stop(): Promise<void>;
}

export async function startAlertmanager(options: AlertmanagerOptions = {}): Promise<AlertmanagerServer> {
  await access(BINARY, constants.X_OK).catch(() => {
    throw new Error(`${BINARY} not found: install the Debian package \`prometheus-alertmanager\``);
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-am-'));
  const configFile = path.join(dir, 'alertmanager.yml');
  await writeFile(configFile, configText(options));
  try {
    const { child, port, output } = await launch(dir, configFile);
    return serverHandle(child, dir, configFile, port, output);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function configText(options: AlertmanagerOptions): string {
  const webhook =
    options.webhookUrl === undefined
      ? ''
      : [
          '    webhook_configs:',
          `      - url: ${JSON.stringify(options.webhookUrl)}`,
          '        send_resolved: true',
          `        max_alerts: ${options.maxAlerts ?? 0}`,
          ...(options.webhookToken === undefined
            ? []
            : [
                '        http_config:',
                `          authorization: {credentials: ${JSON.stringify(options.webhookToken)}}`,
              ]),
        ].join('\n');
  return [
    'route:',
    '  receiver: test',
    `  group_by: ${JSON.stringify(options.groupBy ?? ['alertname'])}`,
    '  group_wait: 100ms',
    '  group_interval: 1s',
    '  repeat_interval: 1h',
    'receivers:',
    '  - name: test',
    webhook,
    '',
  ].join('\n');
}

interface Launched {
  child: ChildProcess;
  port: number;
  output: () => string;
}

async function launch(dir: string, configFile: string): Promise<Launched> {
  const { child, output } = spawnServer(BINARY, [
    `--config.file=${configFile}`,
    `--storage.path=${path.join(dir, 'data')}`,
    `--web.listen-address=${HOST}:0`,
    '--cluster.listen-address=',
    // Info, for the line that names the port it bound.
    '--log.level=info',
  ]);
  // The port once it listens and answers ready; 'exited' when it died first.
  const state = await pollUntil(
    async (): Promise<number | 'exited' | 'starting'> => {
      if (child.exitCode !== null || child.signalCode !== null) return 'exited';
      const port = boundPort(output());
      return port !== undefined && (await isReady(port)) ? port : 'starting';
    },
    (state) => state !== 'starting',
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 },
  );
  if (typeof state === 'number') return { child, port: state, output };
  child.kill('SIGKILL');
  throw new Error(
    `Alertmanager did not start${state === 'exited' ? '' : ` within ${READY_TIMEOUT_MS} ms`}:\n${output().slice(-2_000)}`,
  );
}

/** The port from the `msg="Listening on" address=127.0.0.1:PORT` log line, once it is written. */
function boundPort(output: string): number | undefined {
  const match = /msg="Listening on" address=[^\s]*:(\d+)/.exec(output);
  return match ? Number(match[1]) : undefined;
}

async function isReady(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://${HOST}:${port}/-/ready`)).ok;
  } catch {
    return false;
  }
}

function serverHandle(
  child: ChildProcess,
  dir: string,
  configFile: string,
  port: number,
  output: () => string,
): AlertmanagerServer {
  const url = `http://${HOST}:${port}`;
  const api = async <T>(method: string, apiPath: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}/api/v2${apiPath}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Alertmanager ${method} ${apiPath}: ${response.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
  return {
    url,
    port,
    output,
    postAlerts: (alerts) => api('POST', '/alerts', alerts),
    alerts: () => api('GET', '/alerts'),
    silences: () => api('GET', '/silences'),
    async silence(id) {
      const response = await fetch(`${url}/api/v2/silence/${encodeURIComponent(id)}`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`Alertmanager GET /silence/${id}: ${response.status}`);
      return (await response.json()) as Silence;
    },
    async reconfigure(options) {
      await writeFile(configFile, configText(options));
      const response = await fetch(`${url}/-/reload`, { method: 'POST' });
      if (!response.ok) throw new Error(`Alertmanager POST /-/reload: ${response.status} ${await response.text()}`);
    },
    stop: stopper(child, dir),
  };
}

// Starts a throw-away Alertmanager (Debian `prometheus-alertmanager`, binary /usr/bin/prometheus-alertmanager) for
// integration tests: its own temporary storage directory, listening only on 127.0.0.1 at a free port, clustering
// off, and a minimal configuration whose one route sends every alert to a webhook (or to nowhere).

import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

const BINARY = '/usr/bin/prometheus-alertmanager';
const HOST = '127.0.0.1';
const START_ATTEMPTS = 5;
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
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const started = await launch(dir, configFile, port);
      if (started.ok) return serverHandle(started.child, dir, port, started.output);
      if (!/address already in use/i.test(started.output()) || attempt >= START_ATTEMPTS) {
        throw new Error(`Alertmanager did not start:\n${started.output().slice(-2_000)}`);
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function configText(options: AlertmanagerOptions): string {
  const webhook = options.webhookUrl === undefined
    ? ''
    : [
        '    webhook_configs:',
        `      - url: ${JSON.stringify(options.webhookUrl)}`,
        '        send_resolved: true',
        `        max_alerts: ${options.maxAlerts ?? 0}`,
        ...(options.webhookToken === undefined
          ? []
          : ['        http_config:', `          authorization: {credentials: ${JSON.stringify(options.webhookToken)}}`]),
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

type Launched = { ok: true; child: ChildProcess; output: () => string } | { ok: false; output: () => string };

async function launch(dir: string, configFile: string, port: number): Promise<Launched> {
  const child = spawn(
    BINARY,
    [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${HOST}:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const output = (): string => text;
  const exited = new Promise<false>((resolve) => child.once('exit', () => resolve(false)));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ready = await Promise.race([isReady(port), exited]);
    if (ready) return { ok: true, child, output };
    if (child.exitCode !== null || child.signalCode !== null) return { ok: false, output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  return { ok: false, output: () => `not ready after ${READY_TIMEOUT_MS} ms\n${text}` };
}

async function isReady(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://${HOST}:${port}/-/ready`)).ok;
  } catch {
    return false;
  }
}

function serverHandle(child: ChildProcess, dir: string, port: number, output: () => string): AlertmanagerServer {
  const url = `http://${HOST}:${port}`;
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
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
    stop() {
      process.removeListener('exit', killOnExit);
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          await exited;
        }
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

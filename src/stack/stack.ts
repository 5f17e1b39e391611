// The Prometheus and Alertmanager half of `vigil stack`: the repo's prometheus/ and alertmanager/ configs rewritten
// into `<data dir>/stack/` for the addresses of this run, the webhook token file written beside them, then
// Alertmanager and Prometheus started from the PATH with their storage in the data directory. The prober and the
// receiver are started by the caller first, so their addresses are known and Prometheus's first scrape finds them.

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { rewriteAlertmanagerConfig, type AlertmanagerTiming } from './alertmanager-config.js';
import { findStackBinaries } from './binaries.js';
import { rewritePrometheusConfig, type PrometheusTiming } from './prometheus-config.js';
import { ServerProcess, type ServerExit } from './server-process.js';

export interface HostPort {
  host: string;
  port: number;
}

export interface StackOptions {
  /** Holds prometheus.yml and the rules/ it names (the repo's prometheus/). */
  prometheusDir: string;
  /** Holds alertmanager.yml (the repo's alertmanager/). */
  alertmanagerDir: string;
  dataDir: string;
  prometheusListen: HostPort;
  alertmanagerListen: HostPort;
  /** Where the prober and the receiver listen (0.0.0.0 is reached on 127.0.0.1). */
  prober: HostPort;
  receiver: HostPort;
  /** VIGIL_WEBHOOK_TOKEN: what Alertmanager sends the receiver; empty or absent while it runs without one. */
  webhookToken: string | undefined;
  /** PATH to find the binaries on. */
  pathVariable: string | undefined;
  /** Faster loops than the shipped configs' (tests, demos). */
  timing?: { prometheus?: PrometheusTiming; alertmanager?: AlertmanagerTiming };
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface StackFiles {
  prometheusConfig: string;
  alertmanagerConfig: string;
  tokenFile: string;
}

export interface RunningStack {
  prometheusUrl: string;
  alertmanagerUrl: string;
  files: StackFiles;
  prometheus: ServerProcess;
  alertmanager: ServerProcess;
  /** Settles when either server exits on its own (before close). */
  exited: Promise<ServerExit>;
  /** Stops Prometheus, then Alertmanager. */
  close(): Promise<void>;
}

const DEFAULT_READY_TIMEOUT_MS = 60_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/** `host:port` to connect to a listen address: the wildcard hosts are reached on loopback. */
export function connectAddress({ host, port }: HostPort): string {
  const reachable = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return reachable.includes(':') ? `[${reachable}]:${port}` : `${reachable}:${port}`;
}

const listenAddress = ({ host, port }: HostPort): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/** Writes the rewritten configs and the token file into `<dataDir>/stack/`; answers their paths. */
export async function writeStackFiles(options: StackOptions): Promise<StackFiles> {
  const stackDir = path.resolve(options.dataDir, 'stack');
  await mkdir(path.join(stackDir, 'secrets'), { recursive: true });
  const files: StackFiles = {
    prometheusConfig: path.join(stackDir, 'prometheus.yml'),
    alertmanagerConfig: path.join(stackDir, 'alertmanager.yml'),
    tokenFile: path.join(stackDir, 'secrets', 'vigil-webhook-token'),
  };
  await writeFile(files.tokenFile, options.webhookToken ?? '', { mode: 0o600 });
  await chmod(files.tokenFile, 0o600);
  const prometheusDir = path.resolve(options.prometheusDir);
  const prometheusText = await readFile(path.join(prometheusDir, 'prometheus.yml'), 'utf8');
  await writeFile(
    files.prometheusConfig,
    rewritePrometheusConfig(prometheusText, {
      sourceDir: prometheusDir,
      targets: {
        prober: connectAddress(options.prober),
        receiver: connectAddress(options.receiver),
        alertmanager: connectAddress(options.alertmanagerListen),
      },
      ...(options.timing?.prometheus ? { timing: options.timing.prometheus } : {}),
    }),
  );
  const alertmanagerText = await readFile(path.join(options.alertmanagerDir, 'alertmanager.yml'), 'utf8');
  await writeFile(
    files.alertmanagerConfig,
    rewriteAlertmanagerConfig(alertmanagerText, {
      receiverUrl: `http://${connectAddress(options.receiver)}`,
      tokenFile: files.tokenFile,
      ...(options.timing?.alertmanager ? { timing: options.timing.alertmanager } : {}),
    }),
  );
  return files;
}

/** Finds the binaries (MissingBinaryError first, before anything is written), writes the files, starts both. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const binaries = findStackBinaries(options.pathVariable);
  const files = await writeStackFiles(options);
  const stackDir = path.dirname(files.prometheusConfig);
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const alertmanagerUrl = `http://${connectAddress(options.alertmanagerListen)}`;
  const prometheusUrl = `http://${connectAddress(options.prometheusListen)}`;

  const alertmanager = await ServerProcess.start({
    name: 'alertmanager',
    binary: binaries.alertmanager,
    args: [
      `--config.file=${files.alertmanagerConfig}`,
      `--storage.path=${path.resolve(options.dataDir, 'alertmanager')}`,
      `--web.listen-address=${listenAddress(options.alertmanagerListen)}`,
      // One Alertmanager, no peers: without this it also listens for gossip on 9094.
      '--cluster.listen-address=',
    ],
    url: alertmanagerUrl,
    logFile: path.join(stackDir, 'alertmanager.log'),
    readyTimeoutMs,
    stopTimeoutMs,
  });
  let prometheus: ServerProcess;
  try {
    prometheus = await ServerProcess.start({
      name: 'prometheus',
      binary: binaries.prometheus,
      args: [
        `--config.file=${files.prometheusConfig}`,
        `--storage.tsdb.path=${path.resolve(options.dataDir, 'prometheus')}`,
        `--web.listen-address=${listenAddress(options.prometheusListen)}`,
        // `curl -X POST :9090/-/reload` after editing the rules, as with any Prometheus.
        '--web.enable-lifecycle',
      ],
      url: prometheusUrl,
      logFile: path.join(stackDir, 'prometheus.log'),
      readyTimeoutMs,
      stopTimeoutMs,
    });
  } catch (error) {
    await alertmanager.stop();
    throw error;
  }
  let closing = false;
  const exited = new Promise<ServerExit>((resolve) => {
    for (const server of [prometheus, alertmanager]) {
      void server.exited.then((exit) => {
        if (!closing) resolve(exit);
      });
    }
  });
  return {
    prometheusUrl,
    alertmanagerUrl,
    files,
    prometheus,
    alertmanager,
    exited,
    async close() {
      closing = true;
      await prometheus.stop();
      await alertmanager.stop();
    },
  };
}

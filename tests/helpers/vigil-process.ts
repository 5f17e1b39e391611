// Runs the built `vigil` CLI (dist/cli.js) as a user would: a child process with its own config directory.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onUnusedPort } from './ports.js';
import { makeTempDir } from './temp-dirs.js';
import { pollUntil } from './wait-for.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO_ROOT, 'dist/cli.js');

const READY_TIMEOUT_MS = 15_000;

export interface VigilProcess {
  child: ChildProcess;
  /** The prober's `http://127.0.0.1:PORT` (the receiver's for `vigil receiver`, which runs no prober). */
  baseUrl: string;
  /** The port of `baseUrl`. */
  port: number;
  /** The receiver's `http://127.0.0.1:PORT` when the command runs it (`vigil start`, `vigil receiver`). */
  receiverUrl: string | undefined;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export function writeConfigDir(files: Record<string, string>): string {
  const dir = makeTempDir('vigil-config');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
  command?: string;
  /**
   * For a config whose checks probe the prober itself (the shipped one reads VIGIL_PROBER_PORT): the prober's port
   * is chosen before the start, outside the ephemeral range, passed in VIGIL_PROBER_PORT, and chosen again when it
   * was taken. Otherwise the prober binds port 0 and its port is read from its "prober listening" log line.
   */
  proberPortInEnv?: boolean;
  /** How long to wait for every role to answer ready (default 15 s); more for a test that loads the machine. */
  readyTimeoutMs?: number;
}

/** Starts `vigil prober` (or another long-lived command) and waits until it is ready. */
export async function startVigil(configDir: string, options: StartOptions = {}): Promise<VigilProcess> {
  if (!options.proberPortInEnv) return launch(configDir, options, '127.0.0.1:0');
  return onUnusedPort((port) =>
    launch(configDir, { ...options, env: { ...options.env, VIGIL_PROBER_PORT: String(port) } }, `127.0.0.1:${port}`),
  );
}

async function launch(configDir: string, options: StartOptions, proberListen: string): Promise<VigilProcess> {
  const command = options.command ?? 'prober';
  const readyTimeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const args = options.args ?? [];
  const extra: string[] = [];
  const runsProber = command !== 'receiver';
  const runsReceiver = command === 'start' || command === 'receiver';
  if (runsProber && !args.includes('--prober-listen')) extra.push('--prober-listen', proberListen);
  if (!args.includes('--data-dir')) extra.push('--data-dir', makeTempDir('vigil-data'));
  if (runsReceiver && !args.includes('--receiver-listen')) extra.push('--receiver-listen', '127.0.0.1:0');
  const child = spawn(
    process.execPath,
    [CLI, command, '--config-dir', configDir, ...extra, ...args],
    // Info level: the lines that name the bound ports are logged at info.
    { env: { ...process.env, VIGIL_LOG_LEVEL: 'info', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // After 'close' the output is complete (data can still arrive after 'exit').
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const readyUrl = async (role: 'prober' | 'receiver'): Promise<string | undefined> => {
    const port = listeningPort(output, role);
    if (port === undefined) return undefined;
    const url = `http://127.0.0.1:${port}`;
    return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok ? url : undefined;
  };
  // Both URLs once every role answers ready; a message when the process exited or could not start first.
  const state = await pollUntil(
    async (): Promise<
      { failed: string } | { prober: string | undefined; receiver: string | undefined } | undefined
    > => {
      if (child.exitCode !== null || child.signalCode !== null) return { failed: `exited with code ${child.exitCode}` };
      // A failed listen is logged, but the process may not exit on it.
      if (/"msg":"could not start"/.test(output)) return { failed: 'could not start' };
      const prober = runsProber ? await readyUrl('prober') : undefined;
      const receiver = runsReceiver ? await readyUrl('receiver') : undefined;
      const ready = (!runsProber || prober !== undefined) && (!runsReceiver || receiver !== undefined);
      return ready ? { prober, receiver } : undefined;
    },
    (state) => state !== undefined,
    { timeoutMs: readyTimeoutMs, intervalMs: 100 },
  );
  if (state === undefined || 'failed' in state) {
    child.kill('SIGKILL');
    await closed;
    const why = state === undefined ? `not ready after ${readyTimeoutMs} ms` : state.failed;
    throw new Error(`vigil ${why} before it was ready; output:\n${output}`);
  }
  const baseUrl = (state.prober ?? state.receiver) as string;
  return {
    child,
    baseUrl,
    port: Number(new URL(baseUrl).port),
    receiverUrl: state.receiver,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The port from the role's `"<role> listening"` log line (JSON, with the bound address), once it is written. */
export function listeningPort(output: string, role: 'prober' | 'receiver'): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes(`"msg":"${role} listening"`)) continue;
    try {
      const port = (JSON.parse(line) as { address?: { port?: unknown } }).address?.port;
      if (typeof port === 'number') return port;
    } catch {
      // Not a whole JSON line (yet).
    }
  }
  return undefined;
}

export async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/** The value of the first sample of `metric` whose labels include every given pair, or undefined. */
export function sampleValue(text: string, metric: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const labelText = line.slice(metric.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([name, value]) => labelText.includes(`${name}="${value}"`))) {
      return Number(line.slice(line.lastIndexOf('}') + 2));
    }
  }
  return undefined;
}

/** Runs the CLI to completion (for one-shot commands). */
export function runVigil(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Runs the built `vigil` CLI (dist/cli.js) as a user would: a child process with its own config directory.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { makeTempDir } from './temp-dirs.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO_ROOT, 'dist/cli.js');

export interface VigilProcess {
  child: ChildProcess;
  baseUrl: string;
  port: number;
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
  /** The port of the --prober-listen flag when `args` sets it; a free one otherwise. */
  port?: number;
}

/** Starts `vigil prober` (or another long-lived command) on a free port and waits until it is ready. */
export async function startVigil(configDir: string, options: StartOptions = {}): Promise<VigilProcess> {
  const command = options.command ?? 'prober';
  const port = options.port ?? (await freePort());
  const args = options.args ?? [];
  const extra: string[] = [];
  if (options.port === undefined) extra.push('--prober-listen', `127.0.0.1:${port}`);
  if (!args.includes('--data-dir')) extra.push('--data-dir', makeTempDir('vigil-data'));
  if (command === 'start' && !args.includes('--receiver-listen')) extra.push('--receiver-listen', `127.0.0.1:${await freePort()}`);
  const child = spawn(
    process.execPath,
    [CLI, command, '--config-dir', configDir, ...extra, ...args],
    { env: { ...process.env, VIGIL_LOG_LEVEL: 'info', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const vigil: VigilProcess = {
    child,
    baseUrl,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  const ready = waitFor(async () => (await fetch(`${baseUrl}/-/ready`)).ok, 15_000, () => `vigil not ready; output:\n${output}`);
  const died = exited.then((code) => {
    throw new Error(`vigil exited with code ${code} before it was ready; output:\n${output}`);
  });
  try {
    await Promise.race([ready, died]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  died.catch(() => {});
  return vigil;
}

/** Polls `condition` until it returns true (exceptions count as false) or the deadline passes. */
export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number, describe: () => string = () => 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
export function runVigil(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

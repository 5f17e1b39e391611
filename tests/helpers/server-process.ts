// A server process a test helper starts (Prometheus, Alertmanager): spawned with its output kept for the test's
// error messages; stopped by killing it, waiting for it to exit and deleting its working directory, once, however
// often it is asked, and also when the test process exits first.

import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';

/** Spawns the server; `output()` is everything it has written to stdout and stderr so far. */
export function spawnServer(binary: string, args: readonly string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

/** A `stop()` for the child: SIGKILL, its exit awaited, `dir` removed; safe to call twice. */
export function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  return () => {
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
  };
}

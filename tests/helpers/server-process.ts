// Stopping a server process a test helper started: kill it, wait for it to exit, delete its working directory;
// once, however often it is asked, and also when the test process exits first.

import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';

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

// One Prometheus or Alertmanager process run by `vigil stack`: started with its own arguments, its output appended
// to a log file in the data directory (the last lines kept for an error message), ready once `/-/ready` answers,
// stopped with SIGTERM (then SIGKILL when it does not exit in time).
//
// It runs in a process group of its own, so a Ctrl-C in the terminal reaches only Vigil, which stops the parts in
// order (Prometheus before Alertmanager before the receiver) instead of all at once. If Vigil exits without
// stopping it (an uncaught error), the exit hook kills it, so no server outlives the stack.

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const READY_POLL_MS = 100;
const OUTPUT_TAIL_CHARS = 4_000;

export interface ServerProcessOptions {
  name: string;
  binary: string;
  args: string[];
  /** `http://host:port` it serves, for the readiness probe. */
  url: string;
  logFile: string;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
}

/** How a server process ended. */
export interface ServerExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ServerProcess {
  /** Settles when the process exits, for whatever reason. */
  readonly exited: Promise<ServerExit>;
  private tail = '';
  private stopping: Promise<void> | undefined;
  private readonly killOnExit = (): void => {
    this.child.kill('SIGKILL');
  };

  private constructor(
    private readonly options: ServerProcessOptions,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ name: options.name, code, signal })),
    );
    process.once('exit', this.killOnExit);
    void this.exited.then(() => process.removeListener('exit', this.killOnExit));
  }

  /** Starts the process and waits until it answers ready; rejects with its last output when it does not. */
  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(options.binary, options.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const server = new ServerProcess(options, child);
    const record = (chunk: Buffer): void => {
      log.write(chunk);
      server.tail = (server.tail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
    child.once('close', () => log.end());
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const outcome = await Promise.race([
      server.waitReady().then(
        () => undefined,
        (error: Error) => error,
      ),
      server.exited.then((exit) => new Error(`exited (${exit.signal ?? `code ${exit.code}`})`)),
      spawnError,
    ]);
    if (outcome === undefined) return server;
    await server.stop();
    throw new Error(
      `${options.name} did not start: ${outcome.message}; its last output (all of it in ${options.logFile}):\n` +
        server.tail.trimEnd(),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM, and SIGKILL after the stop timeout; resolves once the process is gone. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.child.exitCode !== null || this.child.signalCode !== null || this.child.pid === undefined) return;
      this.child.kill('SIGTERM');
      const killed = delay(this.options.stopTimeoutMs, 'timeout' as const);
      if ((await Promise.race([this.exited, killed])) === 'timeout') this.child.kill('SIGKILL');
      await this.exited;
    })();
    return this.stopping;
  }

  /** Polls `/-/ready` until it answers 200, the process exits, or the ready timeout passes. */
  private async waitReady(): Promise<void> {
    const deadline = Date.now() + this.options.readyTimeoutMs;
    while (this.child.exitCode === null && this.child.signalCode === null) {
      const answer = await fetch(`${this.options.url}/-/ready`, { signal: AbortSignal.timeout(1_000) }).catch(
        () => undefined,
      );
      await answer?.body?.cancel();
      if (answer?.ok) return;
      if (Date.now() > deadline) throw new Error(`not ready after ${this.options.readyTimeoutMs} ms`);
      await delay(READY_POLL_MS);
    }
    // The exit is reported by the `exited` branch of the race.
    await this.exited;
  }
}

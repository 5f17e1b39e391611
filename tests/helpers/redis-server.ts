// Starts a throw-away redis-server for integration tests: 127.0.0.1 on an unused port chosen below the ephemeral
// range (redis-server cannot bind port 0: `--port 0` turns TCP off), no persistence, optionally password-protected.
// Each call gets its own process. Uses the Debian `redis-server` package's binary from the PATH.

import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { onUnusedPort } from './ports.js';
import { pollUntil } from './wait-for.js';

const HOST = '127.0.0.1';
const READY_DEADLINE_MS = 10_000;
const POLL_INTERVAL_MS = 25;
const STOP_GRACE_MS = 2_000;

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` or, with a password, `redis://:PASSWORD@127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Kills the server; safe to call twice. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** Sets `requirepass`: clients must AUTH with this password. */
  password?: string;
}

export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  return onUnusedPort(async (port) => {
    const server = spawnServer(port, options.password);
    try {
      await waitUntilAnswering(server, port);
      return serverHandle(server, port, options.password);
    } catch (error) {
      await stopProcess(server.child);
      throw error;
    }
  });
}

interface SpawnedServer {
  child: ChildProcess;
  /** stdout and stderr so far (redis logs to stdout), for error messages. */
  output(): string;
  /** Set when the process could not be started or exited. */
  failure(): Error | undefined;
}

function spawnServer(port: number, password: string | undefined): SpawnedServer {
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  if (password !== undefined) args.push('--requirepass', password);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let failure: Error | undefined;
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('error', (error: NodeJS.ErrnoException) => {
    failure =
      error.code === 'ENOENT'
        ? new Error(
            'redis-server not found on the PATH: install the Debian package `redis-server` (apt-get install redis-server)',
          )
        : error;
  });
  child.on('exit', (code, signal) => {
    failure ??= new Error(`redis-server exited (${signal ?? `code ${code}`}) before answering:\n${output}`);
  });
  return { child, output: () => output, failure: () => failure };
}

/** Polls with PING until the server answers anything (PONG, or NOAUTH when a password is required). */
async function waitUntilAnswering(server: SpawnedServer, port: number): Promise<void> {
  const state = await pollUntil(
    async () => server.failure() ?? (await answersPing(port)),
    (state) => state !== false,
    { timeoutMs: READY_DEADLINE_MS, intervalMs: POLL_INTERVAL_MS },
  );
  if (state instanceof Error) throw state;
  if (state === false) {
    throw new Error(
      `redis-server on port ${port} did not answer PING within ${READY_DEADLINE_MS} ms:\n${server.output()}`,
    );
  }
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    const finish = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => finish(/^(\+PONG|-NOAUTH)/.test(data.toString('utf8'))));
  });
}

function serverHandle(server: SpawnedServer, port: number, password: string | undefined): RedisServer {
  const killOnExit = (): void => {
    server.child.kill('SIGKILL');
  };
  // A safety net for a test process that exits without calling stop().
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  const credentials = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  return {
    url: `redis://${credentials}${HOST}:${port}`,
    port,
    stop() {
      process.removeListener('exit', killOnExit);
      stopping ??= stopProcess(server.child);
      return stopping;
    },
  };
}

/** SIGTERM (nothing to save, so it exits at once), SIGKILL if it lingers; resolves when the process is gone. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  child.kill('SIGTERM');
  await exited;
  clearTimeout(escalate);
}

// The postgres probe against a real PostgreSQL server: what a user sees for a healthy database, each way it can
// fail, and that a timed-out probe leaves no session behind on the server.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probePostgres } from '../../src/probe/postgres.js';
import { postgresCheck, probeContext } from '../helpers/checks.js';
import { unusedPort } from '../helpers/ports.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { startSilentServer, type TestTcpServer } from '../helpers/tcp-servers.js';
import { pollUntil } from '../helpers/wait-for.js';

const WRONG_PASSWORD = 'wrong-pw-0a1b2c';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

function urlWith(parts: { password?: string; host?: string; port?: number; database?: string }): string {
  const password = encodeURIComponent(parts.password ?? server.password);
  return `postgres://${server.user}:${password}@${parts.host ?? server.host}:${parts.port ?? server.port}/${parts.database ?? server.database}`;
}

async function probe(connectionString: string, options: { query?: string; timeoutMs?: number } = {}) {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const check = postgresCheck(connectionString, { query: options.query ?? 'SELECT 1', timeoutMs });
  const started = performance.now();
  const outcome = await probePostgres(check, probeContext(timeoutMs));
  return { outcome, elapsedMs: performance.now() - started };
}

interface Session {
  pid: number;
  state: string | null;
  query: string;
}

/** Sessions of the test role other than the admin's own, as the server lists them. */
async function sessionsOfTestRole(): Promise<Session[]> {
  const admin = new pg.Client(server.admin);
  await admin.connect();
  try {
    const result = await admin.query<Session>(
      'SELECT pid, state, query FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()',
      [server.user],
    );
    return result.rows;
  } finally {
    await admin.end();
  }
}

async function waitForNoSessions(deadlineMs: number): Promise<unknown[]> {
  return pollUntil(sessionsOfTestRole, (sessions) => sessions.length === 0, { timeoutMs: deadlineMs, intervalMs: 50 });
}

describe('postgres probe', () => {
  it('reports a healthy database with connect and processing phases', async () => {
    const { outcome } = await probe(server.url);

    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.message).toMatch(/^SELECT 1 returned 1 row in \d+ ms$/);
    expect(outcome.phases.connect).toBeGreaterThan(0);
    expect(outcome.phases.processing).toBeGreaterThan(0);
    expect(outcome.durationMs).toBeGreaterThanOrEqual((outcome.phases.connect ?? 0) + (outcome.phases.processing ?? 0));
    expect(await waitForNoSessions(2_000)).toEqual([]);
  });

  it('counts the rows of the configured query', async () => {
    const { outcome } = await probe(server.url, { query: 'SELECT generate_series(1, 3)' });

    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.message).toMatch(/^SELECT generate_series\(1, 3\) returned 3 rows in \d+ ms$/);
  });

  it('reports a wrong password as an error in the server words, never showing the password', async () => {
    const { outcome } = await probe(urlWith({ password: WRONG_PASSWORD }));

    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
    expect(outcome.message).toContain(`password authentication failed for user "${server.user}"`);
    expect(outcome.message).not.toContain(WRONG_PASSWORD);
    expect(outcome.phases.connect).toBeGreaterThan(0);
    expect(outcome.phases.processing).toBeUndefined();
  });

  it('reports an unknown database', async () => {
    const { outcome } = await probe(urlWith({ database: 'no_such_db' }));

    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
    expect(outcome.message).toContain('database "no_such_db" does not exist');
    expect(outcome.message).not.toContain(server.password);
  });

  it('reports a failing query with the server words', async () => {
    const { outcome } = await probe(server.url, { query: 'SELECT * FROM missing_table' });

    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
    expect(outcome.message).toContain('relation "missing_table" does not exist');
    expect(outcome.phases.processing).toBeGreaterThan(0);
  });

  it('times out a slow query on time and leaves no session behind on the server', async () => {
    const { outcome, elapsedMs } = await probe(server.url, { query: 'SELECT pg_sleep(5)', timeoutMs: 1_000 });

    expect(outcome).toMatchObject({ ok: false, reason: 'timeout' });
    expect(outcome.message).toMatch(/timed out after 1000 ms waiting for the answer to SELECT pg_sleep\(5\)/);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(900);
    expect(elapsedMs).toBeLessThan(1_500);
    // The query is cancelled on the server rather than left to run out its five seconds.
    expect(await waitForNoSessions(2_000)).toEqual([]);
  });

  it('reports a refused port as a connect failure naming the target', async () => {
    const port = await unusedPort();
    const { outcome } = await probe(urlWith({ port }));

    expect(outcome).toMatchObject({ ok: false, reason: 'connect' });
    expect(outcome.message).toContain(`127.0.0.1:${port}`);
    expect(outcome.message).not.toContain(server.password);
  });

  it('reports an unknown host as a DNS failure', async () => {
    const { outcome } = await probe(urlWith({ host: 'no-such-host.invalid' }));

    expect(outcome).toMatchObject({ ok: false, reason: 'dns' });
    expect(outcome.message).toContain('no-such-host.invalid');
    expect(outcome.message).not.toContain(server.password);
  });

  describe('against a server that accepts connections but never answers', () => {
    let silent: TestTcpServer;

    beforeAll(async () => {
      silent = await startSilentServer();
    });

    afterAll(async () => {
      await silent?.close();
    });

    it('times out while connecting and hangs up', async () => {
      const { outcome, elapsedMs } = await probe(urlWith({ port: silent.port }), { timeoutMs: 1_000 });

      expect(outcome).toMatchObject({ ok: false, reason: 'timeout' });
      expect(outcome.message).toContain(`timed out after 1000 ms waiting for a connection to 127.0.0.1:${silent.port}`);
      expect(elapsedMs).toBeLessThan(1_500);
      expect(silent.acceptedConnections()).toBe(1);
      await expect.poll(() => silent.openConnections(), { timeout: 1_000 }).toBe(0);
    });
  });
});

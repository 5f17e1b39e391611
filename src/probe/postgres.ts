// The postgres check: a fresh connection per run (TCP, TLS when the connection string asks for it, startup and
// authentication: the `connect` phase), then the check's query (the `processing` phase). No pool: a probe must see
// what a new client of the database would see. Every message goes through redaction: no password leaves here.

import { connect as connectSocket, type Socket } from 'node:net';
import pg from 'pg';
import type { PostgresCheck } from '../model/check.js';
import { describeNetworkError, errorText } from './errors.js';
import { ProbeFailureError, ProbeRun } from './net-run.js';
import { redactSecrets, redactUrl } from '../redact.js';
import type { ProbeContext, ProbeFn, ProbeOutcome } from './types.js';

/** How long a cancel request for a timed-out query may take before its socket is dropped. */
const CANCEL_DEADLINE_MS = 500;

/** PostgreSQL's CancelRequest code (protocol 3): 1234 << 16 | 5678. */
const CANCEL_REQUEST_CODE = 80_877_102;

/** Characters of the query quoted in messages. */
const QUERY_SHOWN = 60;

const ACCEPTED_SCHEMES = /^(postgres|postgresql|socket):|^\//i;

/** Errors pg raises from its own timers, which are our deadline seen from inside the driver. */
const DRIVER_TIMEOUTS = new Set(['timeout expired', 'Query read timeout']);

/** Where the run got to; decides how the connection is closed. */
type Progress = 'connecting' | 'querying' | 'done';

export const probePostgres: ProbeFn<PostgresCheck> = async (check, context) => {
  const outcome = await probe(check, context);
  return { ...outcome, message: redactSecrets(outcome.message, check.connectionString) };
};

async function probe(check: PostgresCheck, context: ProbeContext): Promise<ProbeOutcome> {
  const run = new ProbeRun(context);
  if (!ACCEPTED_SCHEMES.test(check.connectionString)) {
    return run.failure('error', `not a postgres:// connection string: ${redactUrl(check.connectionString)}`);
  }
  let client: pg.Client;
  try {
    client = createClient(check, context.timeoutMs);
  } catch (error) {
    return run.failure('error', `invalid connection string ${redactUrl(check.connectionString)}: ${errorText(error)}`);
  }
  const server = describeServer(client);
  let progress: Progress = 'connecting';
  try {
    const describe = (error: unknown): never => {
      throw describePostgresError(error, server, context.timeoutMs);
    };
    await run.step(`a connection to ${server}`, 'connect', () => client.connect().catch(describe));
    progress = 'querying';
    const query = summarize(check.query);
    const result = await run.step(`the answer to ${query}`, 'processing', () =>
      client.query(check.query).catch((error: unknown) => {
        // The server rejected the query but the session is healthy: it can still be closed politely.
        if (error instanceof pg.DatabaseError) progress = 'done';
        return describe(error);
      }),
    );
    progress = 'done';
    const rows = rowCount(result);
    const queryMs = Math.round(run.phases.processing ?? 0);
    return run.success(`${query} returned ${rows} row${rows === 1 ? '' : 's'} in ${queryMs} ms`);
  } catch (error) {
    return run.failureFrom(error);
  } finally {
    await close(client, progress, context.signal);
  }
}

function createClient(check: PostgresCheck, timeoutMs: number): pg.Client {
  const client = new pg.Client({
    connectionString: check.connectionString,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    fallback_application_name: 'vigil',
  });
  // Failures reach us through connect() and query(); this listener absorbs the late ones (a reset after the
  // outcome is decided) that would otherwise be an unhandled 'error' event and crash the process.
  client.on('error', () => undefined);
  return client;
}

/** "db.example.com:5432", or the socket path for a unix-socket connection. */
function describeServer(client: pg.Client): string {
  return client.host.startsWith('/') ? `${client.host}/.s.PGSQL.${client.port}` : `${client.host}:${client.port}`;
}

/** The server's own words for what it refused (with the SQLSTATE), the socket layer's for everything else. */
function describePostgresError(error: unknown, server: string, timeoutMs: number): ProbeFailureError {
  if (error instanceof pg.DatabaseError) {
    return new ProbeFailureError('error', `${error.message}${error.code ? ` (SQLSTATE ${error.code})` : ''}`);
  }
  const text = errorText(error);
  if (DRIVER_TIMEOUTS.has(text))
    return new ProbeFailureError('timeout', `${server} did not answer within ${timeoutMs} ms`);
  if (text.startsWith('Connection terminated')) {
    return new ProbeFailureError('connect', `${server} closed the connection unexpectedly`);
  }
  return ProbeFailureError.from(describeNetworkError(error, server));
}

function rowCount(result: pg.QueryResult | pg.QueryResult[]): number {
  // Several statements in one query string give one result each; the last one is what the check asked for.
  const last = Array.isArray(result) ? result.at(-1) : result;
  return last?.rowCount ?? last?.rows.length ?? 0;
}

/** The query as a message shows it: one line, at most QUERY_SHOWN characters. */
function summarize(query: string): string {
  const line = query.replace(/\s+/g, ' ').trim();
  return line.length > QUERY_SHOWN ? `${line.slice(0, QUERY_SHOWN)}…` : line;
}

/**
 * Closes the connection without leaving anything behind. A finished session says goodbye (Terminate) so the server
 * logs no broken connection; a query still running is cancelled on the server, which otherwise keeps executing it
 * after we hang up; anything else is torn down at once.
 */
async function close(client: pg.Client, progress: Progress, signal: AbortSignal): Promise<void> {
  const ended = client.end().catch(() => undefined);
  const destroy = (): void => {
    client.connection.stream.destroy();
  };
  if (progress === 'done' && !signal.aborted) {
    // Bounded by the check's deadline: a server that never closes after Terminate is dropped then.
    signal.addEventListener('abort', destroy, { once: true });
    await ended;
    signal.removeEventListener('abort', destroy);
    return;
  }
  if (progress === 'querying') await cancelRunningQuery(client);
  destroy();
  await ended;
}

/** Sends a CancelRequest on a separate connection, as psql does on Ctrl-C; best effort, bounded. */
async function cancelRunningQuery(client: pg.Client): Promise<void> {
  const { processID, secretKey } = client as unknown as { processID: number | null; secretKey: number | null };
  if (processID === null || secretKey === null) return;
  const request = Buffer.alloc(16);
  request.writeInt32BE(16, 0);
  request.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  request.writeInt32BE(processID, 8);
  request.writeInt32BE(secretKey, 12);
  const socket: Socket = client.host.startsWith('/')
    ? connectSocket(`${client.host}/.s.PGSQL.${client.port}`)
    : connectSocket(client.port, client.host);
  await new Promise<void>((resolve) => {
    socket.setTimeout(CANCEL_DEADLINE_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => resolve());
    socket.on('connect', () => socket.end(request));
  });
}

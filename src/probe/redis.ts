// The redis check: a fresh connection per run (TCP, TLS for rediss://, AUTH, SELECT and ioredis's ready check: the
// `connect` phase), then PING, which must answer PONG (the `processing` phase). The client is configured to fail
// fast instead of reconnecting or queueing, because a probe wants the first failure, not a retry.

import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Redis, ReplyError } from 'ioredis';
import type { RedisCheck } from '../model/check.js';
import { describeNetworkError, errorText } from './errors.js';
import { excerpt, ProbeFailureError, ProbeRun } from './net-run.js';
import { redactSecrets, redactUrl } from '../redact.js';
import type { ProbeContext, ProbeFn, ProbeOutcome } from './types.js';

const ACCEPTED_SCHEMES = /^rediss?:\/\//i;

export const probeRedis: ProbeFn<RedisCheck> = async (check, context) => {
  const outcome = await probe(check, context);
  return { ...outcome, message: redactSecrets(outcome.message, check.url) };
};

async function probe(check: RedisCheck, context: ProbeContext): Promise<ProbeOutcome> {
  const run = new ProbeRun(context);
  if (!ACCEPTED_SCHEMES.test(check.url))
    return run.failure('error', `not a redis:// or rediss:// URL: ${redactUrl(check.url)}`);
  let redis: Redis;
  try {
    redis = createClient(check.url, context.timeoutMs);
  } catch (error) {
    return run.failure('error', `invalid URL ${redactUrl(check.url)}: ${errorText(error)}`);
  }
  const server = `${redis.options.host ?? 'localhost'}:${redis.options.port ?? 6379}`;
  // ioredis reports the cause of a failed connect as an 'error' event and rejects connect() with a generic
  // "Connection is closed"; keep the first event for the message. The listener also absorbs late errors that
  // would otherwise be unhandled once the outcome is decided.
  let firstError: unknown;
  redis.on('error', (error: unknown) => {
    firstError ??= error;
  });
  let answered = false;
  try {
    const describe = (error: unknown): never => {
      throw describeRedisError(firstError ?? error, server);
    };
    await run.step(`a connection to ${server}`, 'connect', () => redis.connect().catch(describe));
    // ioredis reports a failed SELECT (database index out of range) as an event and still connects.
    if (firstError !== undefined) describe(firstError);
    const reply = await run.step(`an answer to PING from ${server}`, 'processing', () => redis.ping().catch(describe));
    answered = true;
    if (reply !== 'PONG') return run.failure('error', `PING answered "${excerpt(String(reply))}" instead of PONG`);
    return run.success(`PING answered PONG in ${Math.round(run.phases.processing ?? 0)} ms`);
  } catch (error) {
    return run.failureFrom(error);
  } finally {
    await close(redis, answered, context.signal);
  }
}

function createClient(url: string, timeoutMs: number): Redis {
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    enableOfflineQueue: false,
    // CLIENT SETINFO is bookkeeping the probe does not need: two fewer round trips in the connect phase.
    disableClientInfo: true,
    ...sniOption(url),
  });
}

/** ioredis leaves out SNI for rediss://, which servers and proxies that route by name need; send the host name. */
function sniOption(url: string): { tls?: ConnectionOptions } {
  if (!/^rediss:/i.test(url)) return {};
  const host = URL.canParse(url) ? new URL(url).hostname.replace(/^\[|\]$/g, '') : '';
  return host !== '' && isIP(host) === 0 ? { tls: { servername: host } } : {};
}

/** The server's own words for a refused command, the socket layer's for everything else. */
function describeRedisError(error: unknown, server: string): ProbeFailureError {
  if (error instanceof ReplyError) return new ProbeFailureError('error', errorText(error).replace(/\.$/, ''));
  const text = errorText(error);
  if (text === 'Command timed out') return new ProbeFailureError('timeout', `${server} did not answer in time`);
  if (text === 'Connection is closed.') return new ProbeFailureError('connect', `${server} closed the connection`);
  return ProbeFailureError.from(describeNetworkError(error, server));
}

/**
 * Closes the connection and waits until the socket is gone. After a PING answered, a plain FIN is a polite goodbye
 * (bounded by the deadline); otherwise the socket is destroyed at once, since the server may never answer again.
 */
async function close(redis: Redis, graceful: boolean, signal: AbortSignal): Promise<void> {
  if (redis.status === 'end') return;
  const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
  const destroy = (): void => {
    (redis.stream as Redis['stream'] | undefined)?.destroy();
  };
  redis.disconnect();
  if (!graceful || signal.aborted) destroy();
  else signal.addEventListener('abort', destroy, { once: true });
  await ended;
  signal.removeEventListener('abort', destroy);
}

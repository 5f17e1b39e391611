// The websocket check: open a WebSocket with undici (connect phase = until open), optionally send a message and
// require the first message received to match `expect` (processing phase). undici's WebSocket reports a failed
// upgrade only as a bare "error" event, so the probe gives it its own dispatcher, which lets it see the upgrade's
// status code, the real connection error and the server certificate (verified here, as the tls probe does, so
// the expiry is known even for a certificate that is refused), and destroy everything afterwards.

import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { Agent, buildConnector, type Dispatcher, WebSocket } from 'undici';
import type { WebsocketCheck } from '../model/check.js';
import { describeNetworkError, errorText } from './errors.js';
import { compilePattern, excerpt, ProbeFailureError, type ProbeRun, runProbe } from './net-run.js';
import { certificateChain, earliestExpiry, verificationProblem } from './net-tls.js';
import type { ProbeFn } from './types.js';

export const probeWebsocket: ProbeFn<WebsocketCheck> = (check, context) =>
  runProbe(context, async (run) => {
    const expected = compilePattern(check.expect, 'expect');
    const url = parseWebsocketUrl(check.url);
    const upgrade = new UpgradeObserver();
    const agent = new Agent({ connect: verifyingConnector(context.timeoutMs, upgrade) });
    // Destroying closes whatever connection is left; a failure to destroy has nothing left to report.
    run.onRelease(() => void agent.destroy().catch(() => {}));

    const socket = new WebSocket(url, { dispatcher: agent.compose(upgrade.interceptor), headers: check.headers });
    socket.binaryType = 'arraybuffer';
    const events = watch(socket);
    run.onRelease(() => {
      socket.close();
      upgrade.socket?.destroy();
    });

    try {
      await run.step(`the WebSocket upgrade of ${url}`, 'connect', () =>
        events.opened.catch((closed: unknown) => {
          throw upgradeFailure(run, upgrade, url, closed);
        }),
      );
    } finally {
      if (upgrade.certExpiresAt !== undefined) run.certExpiresAt = upgrade.certExpiresAt;
    }
    if (check.send !== undefined) socket.send(check.send);
    if (!expected) return run.success(`connected to ${url}`);

    const message = await run.step(`the first message from ${url}`, 'processing', () =>
      events.firstMessage.catch((closed: unknown) => {
        throw new ProbeFailureError(
          'body',
          `connection to ${url} closed (${errorText(closed)}) before the first message`,
        );
      }),
    );
    if (!expected.test(message)) {
      throw new ProbeFailureError(
        'body',
        `first message from ${url} did not match /${expected.source}/; received: "${excerpt(message)}"`,
      );
    }
    return run.success(`connected to ${url}; first message matched /${expected.source}/: "${excerpt(message, 60)}"`);
  });

/** The connection closed before what was awaited arrived. */
class ClosedError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason ? `code ${code}: ${reason}` : `code ${code}`);
    this.name = 'ClosedError';
  }
}

interface SocketEvents {
  /** Resolves on open; rejects with a ClosedError when the connection closes first. */
  opened: Promise<void>;
  /** Resolves with the first message as text; rejects with a ClosedError when the connection closes first. */
  firstMessage: Promise<string>;
}

/** Listens from the start: a server may send its greeting in the same packet as the upgrade response. */
function watch(socket: WebSocket): SocketEvents {
  const opened = settleable<void>();
  const firstMessage = settleable<string>();
  socket.addEventListener('open', () => opened.resolve(), { once: true });
  socket.addEventListener('message', (event) => firstMessage.resolve(messageText(event.data)), { once: true });
  socket.addEventListener(
    'close',
    (event) => {
      const closed = new ClosedError(event.code, event.reason);
      opened.reject(closed);
      firstMessage.reject(closed);
    },
    { once: true },
  );
  return { opened: opened.promise, firstMessage: firstMessage.promise };
}

interface Settleable<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

function settleable<T>(): Settleable<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  // A close rejects both promises; the one nobody awaits (the first message when there is no `expect`) must not
  // become an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

function messageText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return String(data);
}

/**
 * Watches the upgrade request on the probe's own dispatcher: the response status when the server refuses the
 * upgrade, the error when the connection fails, and the upgraded socket.
 */
class UpgradeObserver {
  statusCode?: number;
  statusText?: string;
  error?: Error;
  socket?: Duplex;
  /** Earliest expiry across the server's chain (wss), Unix seconds. */
  certExpiresAt?: number;
  /** Why the server's certificate was refused (wss). */
  tlsProblem?: string;

  readonly interceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) =>
    dispatch(options, this.observe(handler));

  private observe(handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
    return {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, statusCode, headers, socket) => {
        this.statusCode = statusCode;
        this.socket = socket;
        handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
      },
      onResponseStart: (controller, statusCode, headers, statusMessage) => {
        this.statusCode = statusCode;
        this.statusText = statusMessage;
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
      },
      onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
      onResponseError: (controller, error) => {
        this.error = error;
        handler.onResponseError?.(controller, error);
      },
    };
  }
}

/**
 * undici's connector with verification moved after the handshake: the chain is read first (for the expiry), then
 * judged, and a refused certificate fails the connection as undici's own check would.
 */
function verifyingConnector(timeoutMs: number, upgrade: UpgradeObserver): buildConnector.connector {
  const connect = buildConnector({ timeout: timeoutMs, rejectUnauthorized: false });
  return (options, callback) =>
    connect(options, (error, socket) => {
      if (error) return callback(error, null);
      if (!(socket instanceof TLSSocket)) return callback(null, socket);
      const chain = certificateChain(socket);
      upgrade.certExpiresAt = earliestExpiry(chain)?.expiresAt;
      upgrade.tlsProblem = verificationProblem(socket, chain, options.hostname.replace(/^\[|\]$/g, ''));
      if (!upgrade.tlsProblem) return callback(null, socket);
      socket.destroy();
      callback(new Error(upgrade.tlsProblem), null);
    });
}

function upgradeFailure(run: ProbeRun, upgrade: UpgradeObserver, url: string, closed: unknown): ProbeFailureError {
  if (upgrade.tlsProblem) return new ProbeFailureError('tls', upgrade.tlsProblem);
  if (upgrade.statusCode !== undefined && upgrade.statusCode !== 101) {
    run.httpStatus = upgrade.statusCode;
    const text = upgrade.statusText ? ` ${upgrade.statusText}` : '';
    return new ProbeFailureError(
      'status_code',
      `WebSocket upgrade of ${url} refused: HTTP ${upgrade.statusCode}${text}`,
    );
  }
  if (upgrade.error)
    return ProbeFailureError.from(describeNetworkError(upgradeCause(upgrade.error), new URL(url).host));
  return new ProbeFailureError('connect', `WebSocket upgrade of ${url} failed (${errorText(closed)})`);
}

/** undici wraps socket errors; the code that says what happened (ECONNREFUSED, a certificate code) is on the cause. */
function upgradeCause(error: Error): unknown {
  const cause: unknown = error.cause;
  return cause instanceof Error ? cause : error;
}

function parseWebsocketUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new ProbeFailureError('error', `invalid WebSocket URL ${raw}: ${errorText(error)}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ProbeFailureError('error', `WebSocket URL must start with ws:// or wss://, got ${raw}`);
  }
  return url.href;
}

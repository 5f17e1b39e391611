// One HTTP request and its response on a connection of its own: a new undici Client per exchange, destroyed
// afterwards, so every probe pays (and measures) DNS, connect and TLS like a first-time visitor. Reads the body up
// to a byte limit, times processing and transfer, and turns every way it can end into a plain result.

import { Client, type Dispatcher } from 'undici';
import { classifyError, formatDuration, type ProbeFailureReason } from './errors.js';
import { createTracingConnector, type ConnectionTrace } from './http-connector.js';
import type { PhaseTimings } from './types.js';

export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ExchangeOptions {
  signal: AbortSignal;
  timeoutMs: number;
  maxBodyBytes: number;
  tlsVerify: boolean;
}

interface ExchangeCommon {
  durationMs: number;
  phases: PhaseTimings;
  certExpiresAt?: number;
}

export interface ExchangeResponse extends ExchangeCommon {
  ok: true;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ExchangeFailure extends ExchangeCommon {
  ok: false;
  reason: ProbeFailureReason;
  message: string;
  /** Present when the response headers had arrived before the failure. */
  status?: number;
}

export type ExchangeResult = ExchangeResponse | ExchangeFailure;

/** undici's own headers/body timers must never fire before the probe's deadline does. */
const UNDICI_TIMER_MARGIN_MS = 1_000;

/** Sends one request on a fresh connection; resolves always, never rejects. */
export async function exchange(request: ExchangeRequest, options: ExchangeOptions): Promise<ExchangeResult> {
  const trace: ConnectionTrace = { phases: {}, stage: 'connect' };
  const client = new Client(request.url.origin, {
    connect: createTracingConnector({ signal: options.signal, tlsVerify: options.tlsVerify, trace }),
    headersTimeout: options.timeoutMs + UNDICI_TIMER_MARGIN_MS,
    bodyTimeout: options.timeoutMs + UNDICI_TIMER_MARGIN_MS,
    pipelining: 1,
  });
  try {
    return await new Promise<ExchangeResult>((resolve) => runExchange(client, request, options, trace, resolve));
  } finally {
    // Destroy, not close: an unread or endless body must not keep the socket open.
    await client.destroy();
  }
}

function runExchange(
  client: Client,
  request: ExchangeRequest,
  options: ExchangeOptions,
  trace: ConnectionTrace,
  resolve: (result: ExchangeResult) => void,
): void {
  const startedAt = performance.now();
  let settled = false;
  let requestSentAt = startedAt;
  let headersAt: number | undefined;
  let status: number | undefined;
  let headers: ExchangeResponse['headers'] = {};
  const chunks: Buffer[] = [];
  let received = 0;

  const common = (): ExchangeCommon => {
    if (headersAt !== undefined) trace.phases.transfer = performance.now() - headersAt;
    const result: ExchangeCommon = { durationMs: performance.now() - startedAt, phases: trace.phases };
    if (trace.certExpiresAt !== undefined) result.certExpiresAt = trace.certExpiresAt;
    return result;
  };
  const settle = (result: ExchangeResult): void => {
    if (settled) return;
    settled = true;
    options.signal.removeEventListener('abort', onAbort);
    resolve(result);
  };
  const fail = (reason: ProbeFailureReason, message: string): void => {
    settle({ ok: false, reason, message, ...common(), ...(status !== undefined ? { status } : {}) });
  };
  const onAbort = (): void => fail('timeout', timeoutMessage(trace, request.url, options.timeoutMs));
  const onError = (error: unknown): void => {
    if (options.signal.aborted) return onAbort();
    const classified = classifyError(error, { timeoutMessage: timeoutMessage(trace, request.url, options.timeoutMs) });
    // A peer that hangs up mid-handshake is a TLS problem to the user, whatever the socket error says.
    if (trace.stage === 'tls' && classified.reason !== 'tls' && classified.reason !== 'timeout') {
      return fail('tls', `TLS handshake failed: ${classified.message}`);
    }
    fail(classified.reason, classified.message);
  };

  if (options.signal.aborted) return onAbort();
  options.signal.addEventListener('abort', onAbort, { once: true });

  const handler: Dispatcher.DispatchHandler = {
    onRequestStart() {
      // The request (a string body at most) is written synchronously right after this callback.
      trace.stage = 'processing';
      requestSentAt = performance.now();
    },
    onResponseStart(_controller, statusCode, responseHeaders) {
      if (statusCode < 200) return;
      headersAt = performance.now();
      trace.phases.processing = headersAt - requestSentAt;
      trace.stage = 'transfer';
      status = statusCode;
      headers = responseHeaders;
    },
    onResponseData(controller, chunk) {
      received += chunk.length;
      if (received > options.maxBodyBytes) {
        fail('body', `response body exceeds ${formatBytes(options.maxBodyBytes)} (max_body_bytes)`);
        controller.abort(new Error('response body limit reached'));
        return;
      }
      chunks.push(chunk);
    },
    onResponseEnd() {
      if (status === undefined) return fail('error', 'response ended without a status');
      settle({ ok: true, status, headers, body: Buffer.concat(chunks), ...common() });
    },
    onResponseError(_controller, error) {
      onError(error);
    },
  };

  try {
    client.dispatch(dispatchOptions(request), handler);
  } catch (error) {
    onError(error);
  }
}

function dispatchOptions(request: ExchangeRequest): Dispatcher.DispatchOptions {
  const options: Dispatcher.DispatchOptions = {
    path: `${request.url.pathname}${request.url.search}`,
    method: request.method,
    headers: request.headers,
  };
  if (request.body !== undefined) options.body = request.body;
  return options;
}

function timeoutMessage(trace: ConnectionTrace, url: URL, timeoutMs: number): string {
  const within = `within ${formatDuration(timeoutMs)}`;
  switch (trace.stage) {
    case 'dns':
      return `DNS lookup for ${url.hostname} not finished ${within}`;
    case 'connect':
      return `no connection to ${url.host} ${within}`;
    case 'tls':
      return `TLS handshake not finished ${within}`;
    case 'processing':
      return `no response headers ${within}`;
    case 'transfer':
      return `response body not complete ${within}`;
  }
}

/** 1048576 → "1 MiB", 1536 → "1.5 KiB", 500 → "500 bytes". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${rounded} ${units[unit]}`;
}

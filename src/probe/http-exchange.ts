// One HTTP request and its response on a connection of its own (node:http without an agent, on a socket our
// connector opens), closed afterwards, so every probe pays (and measures) DNS, connect and TLS like a first-time
// visitor. Reads the body up to a byte limit, times processing and transfer, and turns every way it can end into a
// plain result. node:http rather than undici here: a fresh connection per probe costs about a third less CPU.

import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { PhaseTimings } from '../model/result.js';
import { classifyError, type DescribedFailure, errorCode, formatDuration, type ProbeFailureReason } from './errors.js';
import { createTracingConnector, portOf, type ConnectCallback, type ConnectionTrace } from './http-connector.js';

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

/** Sends one request on a fresh connection; resolves always, never rejects. */
export function exchange(request: ExchangeRequest, options: ExchangeOptions): Promise<ExchangeResult> {
  return new Promise<ExchangeResult>((resolve) => runExchange(request, options, resolve));
}

function runExchange(
  request: ExchangeRequest,
  options: ExchangeOptions,
  resolve: (result: ExchangeResult) => void,
): void {
  const trace: ConnectionTrace = { phases: {}, stage: 'connect' };
  const startedAt = performance.now();
  let settled = false;
  let requestSentAt = startedAt;
  let headersAt: number | undefined;
  let status: number | undefined;
  let sent: ClientRequest | undefined;

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
    // Destroy, not close: an unread or endless body must not keep the socket open.
    sent?.destroy();
    resolve(result);
  };
  const fail = (reason: ProbeFailureReason, message: string): void => {
    settle({ ok: false, reason, message, ...common(), ...(status !== undefined ? { status } : {}) });
  };
  const onAbort = (): void => fail('timeout', timeoutMessage(trace, request.url, options.timeoutMs));
  const onError = (error: unknown): void => {
    if (settled) return;
    if (options.signal.aborted) return onAbort();
    const described = describeExchangeError(error, trace, request.url);
    fail(described.reason, described.message);
  };

  if (options.signal.aborted) return onAbort();
  options.signal.addEventListener('abort', onAbort, { once: true });

  const connect = createTracingConnector(request.url, { signal: options.signal, tlsVerify: options.tlsVerify, trace });
  const onResponse = (response: IncomingMessage): void => {
    headersAt = performance.now();
    trace.phases.processing = headersAt - requestSentAt;
    trace.stage = 'transfer';
    const statusCode = response.statusCode ?? 0;
    status = statusCode;
    readBody(response, options.maxBodyBytes, {
      complete: (body) => settle({ ok: true, status: statusCode, headers: response.headers, body, ...common() }),
      tooLarge: () => fail('body', `response body exceeds ${formatBytes(options.maxBodyBytes)} (max_body_bytes)`),
      failed: onError,
    });
  };
  // node:http takes the socket through a callback and writes the request as soon as it has it; its types only
  // know the form that returns the socket, hence the cast.
  const createConnection = (_opts: unknown, callback: ConnectCallback): undefined => {
    connect((error, socket) => {
      // A failed connection stays in the phase it failed in (the TLS handshake, say), for the message.
      if (!error) {
        trace.stage = 'processing';
        requestSentAt = performance.now();
      }
      callback(error, socket);
    });
    return undefined;
  };
  const requestOptions: RequestOptions = {
    method: request.method,
    host: request.url.hostname,
    port: request.url.port,
    path: `${request.url.pathname}${request.url.search}`,
    headers: request.headers,
    // No agent: with `agent: false` node:http would make its own socket and ignore createConnection.
    createConnection: createConnection as unknown as RequestOptions['createConnection'],
  };
  try {
    sent = httpRequest(requestOptions, onResponse);
    sent.once('error', onError);
    sent.end(request.body);
  } catch (error) {
    onError(error);
  }
}

interface BodyEvents {
  complete: (body: Buffer) => void;
  tooLarge: () => void;
  failed: (error: unknown) => void;
}

/** Collects the body up to `limit` bytes; a connection that ends before the body is complete is a failure. */
function readBody(response: IncomingMessage, limit: number, events: BodyEvents): void {
  const chunks: Buffer[] = [];
  let received = 0;
  response.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) return events.tooLarge();
    chunks.push(chunk);
  });
  response.once('end', () => events.complete(Buffer.concat(chunks)));
  response.once('error', events.failed);
  response.once('close', () => {
    if (!response.complete) events.failed(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
  });
}

/**
 * node:http's own failures in words (a server that hangs up before the response is complete, an answer that is
 * not HTTP); everything else as every probe says it.
 */
function describeExchangeError(error: unknown, trace: ConnectionTrace, url: URL): DescribedFailure {
  const code = errorCode(error) ?? '';
  const text = error instanceof Error ? error.message : '';
  if (code.startsWith('HPE_')) {
    return {
      reason: 'error',
      message: `invalid HTTP response from ${url.host}: ${text.replace(/^Parse Error: /, '')}`,
    };
  }
  const answering = trace.stage === 'processing' || trace.stage === 'transfer';
  if (answering && code === 'ECONNRESET' && (text === 'socket hang up' || text === 'aborted')) {
    const message = `connection closed by the server before the response was complete (${url.host})`;
    return { reason: 'connect', message };
  }
  // Named as the socket probes name their target ("connection refused by host:port"), default port included.
  const classified = classifyError(error, { target: `${url.hostname}:${portOf(url)}` });
  // A peer that hangs up mid-handshake is a TLS problem to the user, whatever the socket error says.
  if (trace.stage === 'tls' && classified.reason !== 'tls' && classified.reason !== 'timeout') {
    return { reason: 'tls', message: `TLS handshake failed: ${classified.message}` };
  }
  return classified;
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

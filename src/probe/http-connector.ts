// Opens the one fresh connection an HTTP exchange uses and times its phases: DNS lookup, TCP connect and the TLS
// handshake. It also records the earliest certificate expiry of the peer chain and does certificate verification
// itself, so an invalid certificate still yields its expiry date and a readable reason. Shaped as node:http's
// `createConnection` with a callback: the request is written only once the socket is ready (and verified).

import { lookup as dnsLookup } from 'node:dns';
import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Phase, PhaseTimings } from '../model/result.js';
import { describeTlsCode } from './errors.js';
import { certificateChain, earliestExpiry } from './net-tls.js';

/** What one request went through so far; the connector and the request handler both write to it. */
export interface ConnectionTrace {
  phases: PhaseTimings;
  /** The phase in progress, so a timeout can say where it stalled. */
  stage: Phase;
  /** Earliest `valid_to` of the peer chain, Unix seconds. */
  certExpiresAt?: number;
}

export interface TracingConnectorOptions {
  signal: AbortSignal;
  tlsVerify: boolean;
  trace: ConnectionTrace;
}

/** Raised when the signal fires while connecting; the caller reports the timeout, this only unwinds the request. */
export class ConnectAbortedError extends Error {
  constructor() {
    super('connection attempt aborted');
    this.name = 'AbortError';
  }
}

export type ConnectCallback = (error: Error | null, socket?: Socket | TLSSocket) => void;

/**
 * The body of a `createConnection` for `http.request`: opens a new socket to `url`'s origin (never a pooled one)
 * and hands it over once connected, after the TLS handshake and verification for https.
 */
export function createTracingConnector(
  url: URL,
  options: TracingConnectorOptions,
): (callback: ConnectCallback) => void {
  return (callback) => {
    const { signal, trace } = options;
    let socket: Socket | TLSSocket | undefined;
    let settled = false;

    const finish = (error: Error | null, ready?: Socket | TLSSocket): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket?.removeListener('error', finish);
      if (error || !ready) {
        socket?.destroy();
        callback(error ?? new Error('connection closed before it was ready'));
        return;
      }
      callback(null, ready);
    };
    const onAbort = (): void => finish(new ConnectAbortedError());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    const secure = url.protocol === 'https:';
    const port = portOf(url);
    const hostname = bareHostname(url);
    let connectStartedAt = performance.now();
    trace.stage = 'connect';

    const lookup: LookupFunction = (hostname, lookupOptions, done) => {
      trace.stage = 'dns';
      const lookupStartedAt = performance.now();
      dnsLookup(hostname, lookupOptions, (error, address, family) => {
        trace.phases.dns = performance.now() - lookupStartedAt;
        trace.stage = 'connect';
        connectStartedAt = performance.now();
        (done as (...args: unknown[]) => void)(error, address, family);
      });
    };

    const tcp = netConnect({ host: hostname, port, lookup, autoSelectFamily: true });
    socket = tcp;
    tcp.once('error', finish);
    tcp.once('connect', () => {
      trace.phases.connect = performance.now() - connectStartedAt;
      if (!secure) return finish(null, tcp);
      tcp.removeListener('error', finish);
      // Destroying the TLS socket closes the TCP socket under it.
      socket = startTls(tcp, hostname, options, finish);
    });
  };
}

/** The port to dial: the URL's, or its scheme's default (a URL leaves the default out). */
export function portOf(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
}

/** The host to dial: a URL keeps an IPv6 address in brackets, sockets want it without. */
function bareHostname(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function startTls(
  tcp: Socket,
  hostname: string,
  options: TracingConnectorOptions,
  finish: (error: Error | null, ready?: TLSSocket) => void,
): TLSSocket {
  const { trace } = options;
  trace.stage = 'tls';
  const startedAt = performance.now();
  const servername = isIP(hostname) ? undefined : hostname;
  // Verification is done below by hand rather than by OpenSSL aborting the handshake, so the certificate's
  // expiry is known even when it is rejected. Nothing is sent before the check passes.
  const secure = tlsConnect({
    socket: tcp,
    host: hostname,
    ...(servername ? { servername } : {}),
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
  });
  secure.once('error', finish);
  secure.once('secureConnect', () => {
    trace.phases.tls = performance.now() - startedAt;
    const expiresAt = earliestExpiry(certificateChain(secure))?.expiresAt;
    if (expiresAt !== undefined) trace.certExpiresAt = expiresAt;
    if (options.tlsVerify && !secure.authorized) return finish(verificationError(secure.authorizationError));
    finish(null, secure);
  });
  return secure;
}

function verificationError(reason: Error | string | undefined): Error {
  const errorCode = reason !== undefined && typeof reason !== 'string' && 'code' in reason ? reason.code : undefined;
  const code = typeof reason === 'string' ? reason : typeof errorCode === 'string' ? errorCode : 'CERT_UNTRUSTED';
  return Object.assign(new Error(describeTlsCode(code)), { code });
}

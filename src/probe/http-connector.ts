// A custom undici connector that opens one fresh connection and times its phases: DNS lookup, TCP connect and the
// TLS handshake. It also records the earliest certificate expiry of the peer chain and does certificate verification
// itself, so an invalid certificate still yields its expiry date and a readable reason.

import { lookup as dnsLookup } from 'node:dns';
import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';
import { describeTlsCode } from './errors.js';
import { certificateChain, earliestExpiry } from './net-tls.js';
import type { Phase, PhaseTimings } from './types.js';

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

/** Raised when the signal fires while connecting; the caller reports the timeout, this only unwinds undici. */
export class ConnectAbortedError extends Error {
  constructor() {
    super('connection attempt aborted');
    this.name = 'AbortError';
  }
}

/** A connector for `new Client(origin, { connect })`; every call opens a new socket, never a pooled one. */
export function createTracingConnector(options: TracingConnectorOptions): buildConnector.connector {
  return (target, callback) => {
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
        callback(error ?? new Error('connection closed before it was ready'), null);
        return;
      }
      callback(null, ready);
    };
    const onAbort = (): void => finish(new ConnectAbortedError());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    const secure = target.protocol === 'https:';
    const port = Number(target.port) || (secure ? 443 : 80);
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

    const tcp = netConnect({ host: target.hostname, port, lookup, autoSelectFamily: true });
    socket = tcp;
    tcp.once('error', finish);
    tcp.once('connect', () => {
      trace.phases.connect = performance.now() - connectStartedAt;
      if (!secure) return finish(null, tcp);
      tcp.removeListener('error', finish);
      // Destroying the TLS socket closes the TCP socket under it.
      socket = startTls(tcp, target, options, finish);
    });
  };
}

function startTls(
  tcp: Socket,
  target: buildConnector.Options,
  options: TracingConnectorOptions,
  finish: (error: Error | null, ready?: TLSSocket) => void,
): TLSSocket {
  const { trace } = options;
  trace.stage = 'tls';
  const startedAt = performance.now();
  const servername = target.servername ?? (isIP(target.hostname) ? undefined : target.hostname);
  // Verification is done below by hand rather than by OpenSSL aborting the handshake, so the certificate's
  // expiry is known even when it is rejected. Nothing is sent before the check passes.
  const secure = tlsConnect({
    socket: tcp,
    host: target.hostname,
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
  const code = typeof reason === 'string' ? reason : ((reason as NodeJS.ErrnoException | undefined)?.code ?? 'CERT_UNTRUSTED');
  return Object.assign(new Error(describeTlsCode(code)), { code });
}

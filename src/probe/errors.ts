// Turns the errors Node, undici and OpenSSL raise while probing into a failure reason and a short message a person
// can act on. Shared by every probe, so it knows nothing about HTTP beyond undici's error codes.

import type { FailureReason } from './types.js';

/** The reasons a probe itself can report; `slow` is derived later from thresholds. */
export type ProbeFailureReason = Exclude<FailureReason, 'slow'>;

export interface ClassifiedError {
  reason: ProbeFailureReason;
  message: string;
  /** The error code found on the error or its causes, when there was one. */
  code?: string;
}

export interface ClassifyOptions {
  /** Message to use when the error is an abort or timeout, e.g. "no response headers within 2s". */
  timeoutMessage?: string;
}

const DNS_CODES: Record<string, string> = {
  ENOTFOUND: 'no such host',
  EAI_NONAME: 'no such host',
  EAI_AGAIN: 'temporary failure in name resolution (EAI_AGAIN)',
  EAI_NODATA: 'no address records',
  EAI_FAIL: 'name server failure (EAI_FAIL)',
  ESERVFAIL: 'name server failure (SERVFAIL)',
  ENODATA: 'no address records',
  EREFUSED: 'query refused by the name server (REFUSED)',
};

const CONNECT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed by peer while sending',
  EADDRNOTAVAIL: 'address not available',
  UND_ERR_SOCKET: 'connection closed by the server before the response was complete',
  UND_ERR_CLOSED: 'connection closed',
};

const TIMEOUT_CODES: Record<string, string> = {
  ETIMEDOUT: 'connection timed out',
  ETIMEOUT: 'DNS query timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
  ABORT_ERR: 'timed out',
};

/** OpenSSL verification codes (as Node reports them) in words; also used when a probe verifies by hand. */
const TLS_CODES: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate (incomplete chain?)',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate (unknown certificate authority)',
  CERT_REVOKED: 'certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  CERT_UNTRUSTED: 'certificate is not trusted',
  CERT_REJECTED: 'certificate rejected',
  INVALID_CA: 'invalid certificate authority certificate',
  HOSTNAME_MISMATCH: 'certificate does not match the host name',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  ERR_TLS_HANDSHAKE_TIMEOUT: 'TLS handshake timed out',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed: wrong version number (is the port speaking plain HTTP?)',
  EPROTO: 'TLS protocol error',
};

/** The first error code found on the error, its `cause` chain, or the first of an AggregateError's errors. */
export function errorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (isObject(current) && !seen.has(current)) {
    seen.add(current);
    if (typeof current.code === 'string' && current.code !== '') return current.code;
    current = current.cause ?? (Array.isArray(current.errors) ? current.errors[0] : undefined);
  }
  return undefined;
}

/** True for an abort (AbortSignal fired) or a DOM timeout, whatever wrapped it. */
export function isAbortError(error: unknown): boolean {
  if (!isObject(error)) return false;
  if (error.name === 'AbortError' || error.name === 'TimeoutError' || error.code === 'ABORT_ERR') return true;
  return error.cause !== undefined && error.cause !== error && isAbortError(error.cause);
}

/** True when the code (or message) belongs to TLS: OpenSSL verification codes, ERR_TLS_*, ERR_SSL_*. */
export function isTlsCode(code: string): boolean {
  return code in TLS_CODES || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_');
}

/** A readable message for an OpenSSL / Node TLS verification code, e.g. "certificate has expired". */
export function describeTlsCode(code: string, fallback?: string): string {
  return TLS_CODES[code] ?? fallback ?? code;
}

/** Maps any thrown value to a failure reason and a short message naming the code and the peer where known. */
export function classifyError(error: unknown, options: ClassifyOptions = {}): ClassifiedError {
  const code = errorCode(error);
  if (isAbortError(error)) return { reason: 'timeout', message: options.timeoutMessage ?? 'timed out', code };
  if (code === undefined) return { reason: 'error', message: errorMessage(error) };

  const dns = DNS_CODES[code];
  if (dns !== undefined) {
    const host = peerHost(error);
    return { reason: 'dns', message: `DNS lookup${host ? ` for ${host}` : ''} failed: ${dns}`, code };
  }
  const connect = CONNECT_CODES[code];
  if (connect !== undefined) {
    const peer = peerAddress(error);
    return { reason: 'connect', message: peer ? `${connect} (${peer})` : connect, code };
  }
  const timeout = TIMEOUT_CODES[code];
  if (timeout !== undefined) return { reason: 'timeout', message: options.timeoutMessage ?? timeout, code };
  if (isTlsCode(code)) return { reason: 'tls', message: describeTlsCode(code, tlsFallback(error, code)), code };
  return { reason: 'error', message: `${errorMessage(error)} (${code})`, code };
}

/** An error's own message, one line, without a trailing period; never empty. */
export function errorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : isObject(error) && typeof error.message === 'string' ? error.message : String(error);
  const line = raw.split('\n')[0]?.trim().replace(/\.$/, '') ?? '';
  return line === '' ? 'unknown error' : line;
}

/** Short human form of a duration for messages: 2000 → "2s", 1500 → "1.5s", 250 → "250ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1).replace(/\.0$/, '')}s`;
}

function tlsFallback(error: unknown, code: string): string {
  const message = errorMessage(error);
  // OpenSSL's own text ("... routines::wrong version number") is clearer than a bare code.
  const reasonText = /routines:.*:([^:]+)$/.exec(message)?.[1] ?? message;
  return code === 'EPROTO' || code.startsWith('ERR_SSL_') ? `TLS handshake failed: ${reasonText}` : reasonText;
}

function peerHost(error: unknown): string | undefined {
  const source = firstWith(error, 'hostname');
  return typeof source?.hostname === 'string' ? source.hostname : undefined;
}

function peerAddress(error: unknown): string | undefined {
  const source = firstWith(error, 'address');
  if (typeof source?.address !== 'string') return undefined;
  const host = source.address.includes(':') ? `[${source.address}]` : source.address;
  return typeof source.port === 'number' ? `${host}:${source.port}` : host;
}

function firstWith(error: unknown, key: string): Record<string, unknown> | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (isObject(current) && !seen.has(current)) {
    seen.add(current);
    if (current[key] !== undefined) return current;
    current = current.cause ?? (Array.isArray(current.errors) ? current.errors[0] : undefined);
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

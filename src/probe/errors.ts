// How every probe says what went wrong: maps the errors of Node's resolver, sockets and TLS layer, of undici and of
// OpenSSL to a failure reason and a short message a person can act on. One table per layer, so a refused port or an
// untrusted certificate is named the same way whichever probe met it. The http probe calls `classifyError` (the
// socket's error carries the address it dialled); the socket-level probes call `describeNetworkError` with the target
// they were given, which their messages name instead.

import type { FailureReason } from '../model/result.js';

/** The reasons a probe itself can report; `slow` is derived later from thresholds. */
export type ProbeFailureReason = Exclude<FailureReason, 'slow'>;

export interface DescribedFailure {
  reason: ProbeFailureReason;
  message: string;
}

export interface ClassifyOptions {
  /** Message to use when the error is an abort or timeout, e.g. "no response headers within 2s". */
  timeoutMessage?: string;
  /** "host:port" the probe dialled, named in messages instead of the address found on the error. */
  target?: string;
}

/** Resolver codes (getaddrinfo and c-ares). */
const LOOKUP_CODES: Record<string, string> = {
  ENOTFOUND: 'no such host',
  EAI_NONAME: 'no such host',
  EAI_AGAIN: 'temporary failure in name resolution (EAI_AGAIN)',
  EAI_NODATA: 'no address records',
  EAI_FAIL: 'name server failure (EAI_FAIL)',
  ESERVFAIL: 'name server failure (SERVFAIL)',
  ENODATA: 'no address records',
  EREFUSED: 'query refused by the name server (REFUSED)',
};

/**
 * Socket codes: the words on their own (followed by the address when the error carries one), and the sentence
 * that names the target a socket probe dialled.
 */
const CONNECT_CODES: Record<string, { words: string; naming: (target: string) => string }> = {
  ECONNREFUSED: { words: 'connection refused', naming: (target) => `connection refused by ${target}` },
  ECONNRESET: { words: 'connection reset by peer', naming: (target) => `connection reset by ${target}` },
  EHOSTUNREACH: { words: 'host unreachable', naming: (target) => `host unreachable: ${target}` },
  ENETUNREACH: { words: 'network unreachable', naming: (target) => `network unreachable: ${target}` },
  EPIPE: {
    words: 'connection closed by peer while sending',
    naming: (target) => `connection to ${target} closed while sending`,
  },
  EADDRNOTAVAIL: { words: 'address not available', naming: (target) => `address not available: ${target}` },
  UND_ERR_SOCKET: {
    words: 'connection closed by the server before the response was complete',
    naming: (target) => `connection to ${target} failed`,
  },
  UND_ERR_CLOSED: { words: 'connection closed', naming: (target) => `connection to ${target} closed` },
};

const TIMEOUT_CODES: Record<string, string> = {
  ETIMEDOUT: 'connection timed out',
  ETIMEOUT: 'DNS query timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
  ERR_TLS_HANDSHAKE_TIMEOUT: 'TLS handshake timed out',
  ABORT_ERR: 'timed out',
};

/** OpenSSL certificate verification codes, as Node reports them, in words. */
const CERTIFICATE_PROBLEMS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain (untrusted root)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate issuer is not trusted (unknown CA or incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate issuer is not trusted (unknown CA or incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer is not trusted (unknown CA or incomplete chain)',
  CERT_REVOKED: 'certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'certificate signature is invalid',
  CERT_UNTRUSTED: 'certificate is not trusted',
  CERT_REJECTED: 'certificate was rejected',
  INVALID_CA: 'an issuing certificate is not a valid CA',
  INVALID_PURPOSE: 'certificate is not meant for TLS servers (key usage)',
  HOSTNAME_MISMATCH: 'certificate does not match the host name',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
};

/** Handshake failures where OpenSSL's own words would not tell the user what to look at. */
const HANDSHAKE_PROBLEMS: Record<string, string> = {
  ERR_SSL_WRONG_VERSION_NUMBER: 'wrong version number (is the port speaking plain text, not TLS?)',
  ECONNRESET: 'connection reset by the server',
};

/** Maps any thrown value to a failure reason and a short message naming the peer where known. */
export function classifyError(error: unknown, options: ClassifyOptions = {}): DescribedFailure {
  const { target, timeoutMessage } = options;
  if (isAbortError(error)) return { reason: 'timeout', message: timeoutMessage ?? 'timed out' };
  const code = errorCode(error) ?? '';
  if (code in LOOKUP_CODES) return describeLookupError(error, target ? hostOf(target) : peerHost(error));
  const connect = CONNECT_CODES[code];
  if (connect) {
    const message = target ? connect.naming(target) : withPeer(connect.words, peerAddress(error));
    return { reason: 'connect', message };
  }
  const timeout = TIMEOUT_CODES[code];
  if (timeout) return { reason: 'timeout', message: timeoutMessage ?? withPeer(timeout, target ?? peerAddress(error)) };
  if (isTlsError(error, code)) return { reason: 'tls', message: describeHandshakeError(error, target) };
  const message = `${target ? `${target}: ` : ''}${clause(error)}${code ? ` (${code})` : ''}`;
  return { reason: 'error', message };
}

/** Any error from connecting to or talking with `target` ("host:port"), whatever layer it came from. */
export function describeNetworkError(error: unknown, target: string): DescribedFailure {
  return classifyError(error, { target });
}

/** A failed host-name lookup, of `host` when known. */
export function describeLookupError(error: unknown, host?: string): DescribedFailure {
  const words = LOOKUP_CODES[errorCode(error) ?? ''] ?? clause(error);
  return { reason: 'dns', message: `DNS lookup${host ? ` for ${host}` : ''} failed: ${words}` };
}

/**
 * An error raised while a TLS handshake was under way, in words: to the user it is a TLS failure whatever layer
 * raised it (a server that hangs up mid-handshake is most often one that does not speak TLS on that port).
 */
export function describeHandshakeError(error: unknown, target?: string): string {
  const code = errorCode(error) ?? '';
  if (code in CERTIFICATE_PROBLEMS) return describeTlsCode(code);
  return `TLS handshake${target ? ` with ${target}` : ''} failed: ${HANDSHAKE_PROBLEMS[code] ?? clause(error)}`;
}

/** "certificate verification failed: self-signed certificate" for a verification code; `host` is the name checked. */
export function describeCertificateProblem(code: string, host: string): string {
  const problem =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `certificate is not valid for ${host}` : describeTlsCode(code);
  return `certificate verification failed: ${problem}`;
}

/** A certificate verification code in words, e.g. "certificate has expired"; an unknown code as it is. */
export function describeTlsCode(code: string): string {
  return CERTIFICATE_PROBLEMS[code] ?? code;
}

/** The first error code found on the error, its `cause` chain, or the first of an AggregateError's errors. */
export function errorCode(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    if (typeof link.code === 'string' && link.code !== '') return link.code;
  }
  return undefined;
}

/** The error's own words: its first line, OpenSSL's reason rather than its error stack; never empty. */
export function errorText(error: unknown): string {
  const raw = isObject(error) && typeof error.message === 'string' ? error.message : String(error);
  const text = (openSslReason(error, raw) ?? raw).split('\n')[0]?.trim() ?? '';
  return text === '' ? 'unknown error' : text;
}

/** Short human form of a duration for messages: 2000 → "2s", 1500 → "1.5s", 250 → "250ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1).replace(/\.0$/, '')}s`;
}

/** The error's words as part of a longer message: without the trailing period. */
function clause(error: unknown): string {
  return errorText(error).replace(/\.$/, '');
}

/** OpenSSL puts "...:SSL routines:function:reason" in the message; the reason alone is what a person needs. */
function openSslReason(error: unknown, message: string): string | undefined {
  if (!/routines:/.test(message)) return undefined;
  const reason = isObject(error) ? error.reason : undefined;
  if (typeof reason === 'string' && reason !== '') return reason;
  return /routines:.*:([^:]+)$/.exec(message)?.[1];
}

/** True for an abort (AbortSignal fired) or a DOM timeout, whatever wrapped it. */
function isAbortError(error: unknown): boolean {
  for (const link of causeChain(error)) {
    if (link.name === 'AbortError' || link.name === 'TimeoutError' || link.code === 'ABORT_ERR') return true;
  }
  return false;
}

/** OpenSSL verification codes, ERR_TLS_* and ERR_SSL_*, or an error that names TLS in its own words. */
function isTlsError(error: unknown, code: string): boolean {
  if (code in CERTIFICATE_PROBLEMS || code === 'EPROTO') return true;
  if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_')) return true;
  return /\b(ssl|tls)\b/i.test(errorText(error));
}

function withPeer(words: string, peer: string | undefined): string {
  return peer ? `${words} (${peer})` : words;
}

/** "example.com" from "example.com:443". */
function hostOf(target: string): string {
  return target.replace(/:\d+$/, '');
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
  for (const link of causeChain(error)) {
    if (link[key] !== undefined) return link;
  }
  return undefined;
}

/** The error, then its `cause` chain (an AggregateError's first error standing in for a cause); a cycle ends it. */
function* causeChain(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (isObject(current) && !seen.has(current)) {
    seen.add(current);
    yield current;
    current = current.cause ?? (Array.isArray(current.errors) ? current.errors[0] : undefined);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

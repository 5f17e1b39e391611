// Turns the error codes of Node's socket, resolver and TLS layers into a failure reason and a sentence a user
// understands, for the socket-level probes (tcp, tls, websocket). Kept apart from the probes so each of them
// describes a refused port or an untrusted certificate in the same words.

import type { FailureReason } from './types.js';

export type ProbeFailureReason = Exclude<FailureReason, 'slow'>;

export interface DescribedFailure {
  reason: ProbeFailureReason;
  message: string;
}

const LOOKUP_MESSAGES: Record<string, (host: string) => string> = {
  ENOTFOUND: (host) => `no such host ${host}`,
  EAI_NONAME: (host) => `no such host ${host}`,
  EAI_NODATA: (host) => `no address records for ${host}`,
  ENODATA: (host) => `no address records for ${host}`,
  EAI_AGAIN: (host) => `temporary DNS failure resolving ${host}`,
  EAI_FAIL: (host) => `DNS failure resolving ${host}`,
};

const CONNECT_MESSAGES: Record<string, (target: string) => string> = {
  ECONNREFUSED: (target) => `connection refused by ${target}`,
  ECONNRESET: (target) => `connection reset by ${target}`,
  EPIPE: (target) => `connection to ${target} closed while sending`,
  EHOSTUNREACH: (target) => `host unreachable: ${target}`,
  ENETUNREACH: (target) => `network unreachable: ${target}`,
  EADDRNOTAVAIL: (target) => `address not available: ${target}`,
  UND_ERR_SOCKET: (target) => `connection to ${target} failed`,
};

/** OpenSSL verification codes (as Node reports them) in words. */
const CERTIFICATE_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain (untrusted root)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate issuer is not trusted (unknown CA or incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate issuer is not trusted (unknown CA or incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer is not trusted (unknown CA or incomplete chain)',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_REVOKED: 'certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'certificate signature is invalid',
  CERT_UNTRUSTED: 'certificate is not trusted',
  CERT_REJECTED: 'certificate was rejected',
  INVALID_CA: 'an issuing certificate is not a valid CA',
  INVALID_PURPOSE: 'certificate is not meant for TLS servers (key usage)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
};

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The error's message; for OpenSSL errors just the reason ("wrong version number"), without the error stack. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === 'string' && reason && /routines:/.test(error.message)) return reason;
  return error.message;
}

export function isCertificateProblem(code: string | undefined): boolean {
  return code !== undefined && code in CERTIFICATE_PROBLEMS;
}

/** "certificate verification failed: self-signed certificate" for a Node/OpenSSL verification code. */
export function describeCertificateProblem(code: string, host: string): string {
  const problem =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `certificate is not valid for ${host}` : CERTIFICATE_PROBLEMS[code];
  return `certificate verification failed: ${problem ?? code}`;
}

/** A failed host-name lookup (dns.lookup) of `host`. */
export function describeLookupError(error: unknown, host: string): DescribedFailure {
  const code = errorCode(error);
  const describe = code === undefined ? undefined : LOOKUP_MESSAGES[code];
  return { reason: 'dns', message: describe ? describe(host) : `cannot resolve ${host}: ${errorText(error)}` };
}

/** Any error from connecting to or talking with `target` ("host:port"), whatever layer it came from. */
export function describeNetworkError(error: unknown, target: string): DescribedFailure {
  const code = errorCode(error);
  if (code !== undefined && code in LOOKUP_MESSAGES) return describeLookupError(error, target.replace(/:\d+$/, ''));
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { reason: 'timeout', message: `connection to ${target} timed out` };
  }
  const connectMessage = code === undefined ? undefined : CONNECT_MESSAGES[code];
  if (connectMessage) return { reason: 'connect', message: connectMessage(target) };
  if (isCertificateProblem(code)) {
    return { reason: 'tls', message: describeCertificateProblem(code as string, target.replace(/:\d+$/, '')) };
  }
  if (isTlsError(error)) return { reason: 'tls', message: `TLS handshake with ${target} failed: ${errorText(error)}` };
  return { reason: 'error', message: `${target}: ${errorText(error)}` };
}

function isTlsError(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') return true;
  return /\b(ssl|tls)\b/i.test(errorText(error));
}

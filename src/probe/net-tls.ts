// TLS over an already-connected socket (tls phase), shared by the tcp and tls probes. The handshake always
// accepts the peer's certificate so its chain can be read, and the verdict (chain trust, host name) is worked out
// here afterwards: that way a check reports the expiry even of a certificate it refuses.

import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { trackSocket } from './net-connect.js';
import { describeCertificateProblem, describeHandshakeError, errorCode } from './errors.js';
import { ProbeFailureError, type ProbeRun } from './net-run.js';

/** Chains longer than this are not walked further (a loop guard; real chains have 2–4 certificates). */
const MAX_CHAIN_LENGTH = 10;

export interface TlsTarget {
  host: string;
  /** SNI and the name the certificate must match; defaults to `host` (no SNI for an IP address). */
  serverName?: string;
  /** "host:port" for messages. */
  target: string;
}

export interface CertificateExpiry {
  /** Unix seconds. */
  expiresAt: number;
  /** The certificate's common name, when it has one. */
  commonName?: string;
}

export interface TlsSession {
  socket: TLSSocket;
  /** Negotiated protocol, e.g. "TLSv1.3". */
  protocol: string;
  /** The certificates the peer presented, leaf first. */
  chain: DetailedPeerCertificate[];
  /** The certificate of the chain that expires first; absent when the peer presented no certificate. */
  expiringFirst?: CertificateExpiry;
  /** Why the certificate would be refused (untrusted chain, wrong host name); absent when it checks out. */
  verifyProblem?: string;
}

export async function startTls(run: ProbeRun, socket: Socket, options: TlsTarget): Promise<TlsSession> {
  const checkedName = options.serverName ?? options.host;
  const servername = isIP(checkedName) === 0 ? checkedName : undefined;
  const tlsSocket = connect({ socket, servername, rejectUnauthorized: false });
  trackSocket(run, tlsSocket);
  await run.step(`TLS handshake with ${options.target}`, 'tls', () => handshake(tlsSocket, options.target));
  const chain = certificateChain(tlsSocket);
  const expiringFirst = earliestExpiry(chain);
  const verifyProblem = verificationProblem(tlsSocket, chain, checkedName);
  return {
    socket: tlsSocket,
    protocol: tlsSocket.getProtocol() ?? 'TLS',
    chain,
    ...(expiringFirst !== undefined ? { expiringFirst } : {}),
    ...(verifyProblem !== undefined ? { verifyProblem } : {}),
  };
}

function handshake(socket: TLSSocket, target: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.once('error', (error) => reject(new ProbeFailureError('tls', describeHandshakeError(error, target))));
    socket.once('secureConnect', () => resolve());
  });
}

/** The presented chain, leaf first; a self-signed root names itself as issuer, which ends the walk. */
export function certificateChain(socket: TLSSocket): DetailedPeerCertificate[] {
  const chain: DetailedPeerCertificate[] = [];
  let certificate: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (certificate?.raw && chain.length < MAX_CHAIN_LENGTH) {
    const fingerprint = certificate.fingerprint256;
    if (chain.some((seen) => seen.fingerprint256 === fingerprint)) break;
    chain.push(certificate);
    certificate = certificate.issuerCertificate;
  }
  return chain;
}

/** The certificate with the earliest `valid_to` across the chain. */
export function earliestExpiry(chain: readonly DetailedPeerCertificate[]): CertificateExpiry | undefined {
  let earliest: CertificateExpiry | undefined;
  for (const certificate of chain) {
    const expiresAt = Date.parse(certificate.valid_to) / 1000;
    if (!Number.isFinite(expiresAt) || (earliest && earliest.expiresAt <= expiresAt)) continue;
    const commonName = certificate.subject?.CN;
    earliest = { expiresAt, ...(commonName ? { commonName: [commonName].flat().join(', ') } : {}) };
  }
  return earliest;
}

/** Why a certificate would be refused (untrusted chain, wrong host name), or undefined when it checks out. */
export function verificationProblem(
  socket: TLSSocket,
  chain: DetailedPeerCertificate[],
  checkedName: string,
): string | undefined {
  if (!socket.authorized) {
    // Node types this as an Error, but it carries OpenSSL's code as a string.
    const failure: unknown = socket.authorizationError;
    const code = errorCode(failure) ?? String(failure);
    return describeCertificateProblem(code, checkedName);
  }
  const leaf = chain[0];
  if (!leaf) return 'the server presented no certificate';
  const mismatch = checkServerIdentity(checkedName, leaf);
  if (!mismatch) return undefined;
  const detail = (mismatch as Error & { reason?: string }).reason;
  return `${describeCertificateProblem('ERR_TLS_CERT_ALTNAME_INVALID', checkedName)}${detail ? ` (${detail})` : ''}`;
}

/** "3 days", "1 day", "5 hours", "12 minutes": a span for expiry messages, rounded down. */
export function describeSpan(milliseconds: number): string {
  const minutes = Math.floor(Math.abs(milliseconds) / 60_000);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (days > 0) return plural(days, 'day');
  if (hours > 0) return plural(hours, 'hour');
  return plural(minutes, 'minute');
}

/** ISO 8601 to the second, for messages. */
export function formatInstant(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

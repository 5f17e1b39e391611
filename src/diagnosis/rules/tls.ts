// TLS: a certificate expired or about to (which certificate, which name, when), or a handshake that fails (untrusted
// chain, wrong name, not TLS on that port). Names the endpoint and the openssl command that shows the certificate.

import type { CheckEvidence, Finding } from '../../model/diagnosis.js';
import { endpointOf } from '../evidence/check-target.js';
import {
  currentFailure,
  DAY,
  describeLastHealthy,
  describeRun,
  failingRun,
  formatSpan,
  formatTime,
  present,
} from './facts.js';
import type { RuleFn } from './rule.js';

/** A certificate expiring sooner than this is worth a finding even while the check passes. */
const EXPIRY_WARNING_MS = 14 * DAY;

interface HandshakeFault {
  pattern: RegExp;
  cause: string;
  fix: (name: string, endpoint: string) => string;
}

const HANDSHAKE_FAULTS: readonly HandshakeFault[] = [
  {
    pattern: /expired/i,
    cause: 'the certificate served has expired',
    fix: (name, endpoint) => `Renew the certificate for ${name} and deploy it on ${endpoint}.`,
  },
  {
    pattern: /not valid for|does not match the host name|altname/i,
    cause: 'the certificate served does not cover the name the clients use',
    fix: (name, endpoint) => `Serve a certificate whose subject alternative names include ${name} on ${endpoint}.`,
  },
  {
    pattern: /issuer is not trusted|self-signed|unknown CA|incomplete chain|not trusted/i,
    cause: 'the certificate chain is not trusted (self-signed, unknown CA or a missing intermediate certificate)',
    fix: (_name, endpoint) => `Configure the full chain (leaf and intermediates) on ${endpoint}.`,
  },
  {
    pattern: /wrong version number|plain text/i,
    cause: 'the port does not speak TLS (plain text behind it, or the wrong port)',
    fix: (_name, endpoint) => `Check which protocol ${endpoint} serves and the TLS listener's configuration.`,
  },
];

export const tlsRule: RuleFn = (check, all) => {
  const failure = currentFailure(check);
  const newest = check.recent.at(-1);
  const expiresAt = check.certExpiresAt;
  const tlsFailing = failure?.reason === 'tls' || (newest?.status === 'degraded' && newest.reason === 'tls');
  const expiring = expiresAt !== undefined && expiresAt - all.at < EXPIRY_WARNING_MS;
  if (!tlsFailing && !expiring) return undefined;

  const endpoint = endpointOf(check.target) ?? 'the endpoint';
  const name = check.target?.serverName ?? check.target?.host ?? 'the server name';
  const message = failure?.message ?? newest?.message ?? '';
  const commonName = /CN=([^)\s,]+)/.exec(message)?.[1];
  const certificate = `the certificate of ${name}${commonName !== undefined && commonName !== name ? ` (CN=${commonName})` : ''} on ${endpoint}`;
  const show = showCertificate(check, name);
  const run = failingRun(check);
  const history = present(run.length > 0 && describeRun(check, run), describeLastHealthy(check));

  if (expiresAt !== undefined && (expiresAt <= all.at || /expired/i.test(message))) {
    return {
      rule: 'tls',
      summary: `${certificate} expired ${formatSpan(all.at - expiresAt)} ago`,
      probableCause: `Likely an expired certificate: ${certificate} expired at ${formatTime(expiresAt)}, so clients refuse the connection.`,
      evidence: [`${certificate} expired at ${formatTime(expiresAt)}`, ...history],
      recommendations: [
        show,
        `Renew the certificate for ${name} and deploy it on ${endpoint}; check the renewal job (ACME client, cert-manager) for why it did not renew.`,
      ],
      confidence: 'high',
    } satisfies Finding;
  }
  const fault =
    failure?.reason === 'tls' ? HANDSHAKE_FAULTS.find((candidate) => candidate.pattern.test(message)) : undefined;
  if (failure?.reason === 'tls') {
    return {
      rule: 'tls',
      summary: `TLS handshake with ${endpoint} fails`,
      probableCause: `Likely a TLS configuration problem: ${fault?.cause ?? 'the handshake fails'}, because the probe reports ${JSON.stringify(message)}.`,
      evidence: [
        ...history,
        ...(expiresAt === undefined ? [] : [`${certificate} expires at ${formatTime(expiresAt)}`]),
      ],
      recommendations: present(show, fault?.fix(name, endpoint)),
      confidence: fault === undefined ? 'medium' : 'high',
    } satisfies Finding;
  }
  if (expiresAt === undefined) return undefined;
  return {
    rule: 'tls',
    summary: `${certificate} expires in ${formatSpan(expiresAt - all.at)}`,
    probableCause: `Likely a certificate renewal that has not happened: ${certificate} expires at ${formatTime(expiresAt)}.`,
    evidence: [`${certificate} expires at ${formatTime(expiresAt)}, in ${formatSpan(expiresAt - all.at)}`, ...history],
    recommendations: [
      show,
      `Renew the certificate for ${name} before ${formatTime(expiresAt)}; check why automatic renewal has not run.`,
    ],
    confidence: 'high',
  } satisfies Finding;
};

function showCertificate(check: CheckEvidence, name: string): string {
  const { host, port } = check.target ?? {};
  const connect = host !== undefined && port !== undefined ? endpointOf(check.target) : `${name}:443`;
  return `openssl s_client -connect ${connect} -servername ${name} </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer -enddate`;
}

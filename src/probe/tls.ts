// The tls check: handshake with host:port and judge the certificate chain. An expired certificate is down
// whatever `verify` says; an untrusted chain or a wrong host name is down when `verify` is on; a certificate
// expiring within `minDaysRemaining` days is a warning (degraded). The earliest expiry is reported in every case
// where the server presented a certificate, for the expiry gauge.

import type { TlsCheck } from '../model/check.js';
import { connectSocket, formatTarget, resolveAddress } from './net-connect.js';
import { ProbeFailureError, runProbe } from './net-run.js';
import { describeSpan, formatInstant, startTls } from './net-tls.js';
import type { ProbeFn } from './types.js';

const DAY_MS = 86_400_000;

export const probeTls: ProbeFn<TlsCheck> = (check, context) =>
  runProbe(context, async (run) => {
    const target = formatTarget(check.host, check.port);
    const address = await resolveAddress(run, check.host);
    const socket = await connectSocket(run, address, check.port, target);
    const session = await startTls(run, socket, { host: check.host, serverName: check.serverName, target });
    const first = session.expiringFirst;
    if (!first) throw new ProbeFailureError('tls', `${target} presented no certificate`);
    run.certExpiresAt = first.expiresAt;

    const remainingMs = first.expiresAt * 1000 - Date.now();
    // "(2026-05-01T12:00:00Z, CN=example.com)": which certificate of the chain, since it need not be the leaf.
    const when = `(${formatInstant(first.expiresAt)}${first.commonName ? `, CN=${first.commonName}` : ''})`;
    if (remainingMs <= 0)
      throw new ProbeFailureError('tls', `certificate expired ${describeSpan(remainingMs)} ago ${when}`);
    if (check.verify && session.verifyProblem) throw new ProbeFailureError('tls', session.verifyProblem);

    const summary = `${session.protocol}, certificate valid for ${describeSpan(remainingMs)} ${when}`;
    if (remainingMs < check.minDaysRemaining * DAY_MS) {
      return run.success(summary, {
        reason: 'tls',
        message: `certificate expires in ${describeSpan(remainingMs)} ${when}`,
      });
    }
    return run.success(summary);
  });

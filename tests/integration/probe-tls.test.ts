// The tls probe against local TLS servers presenting certificates made by openssl at test time: untrusted,
// expired, close to expiry, a chain whose CA expires first, plus refused and silent ports.
// (verify=true succeeding needs a CA the process trusts, NODE_EXTRA_CA_CERTS at start-up, so it is not covered.)

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTls } from '../../src/probe/tls.js';
import { probeContext, tlsCheck } from '../helpers/checks.js';
import { unusedPort } from '../helpers/ports.js';
import { startSilentServer, startTlsServer, type TestTcpServer, type TestTlsServer } from '../helpers/tcp-servers.js';
import {
  createCertificateFactory,
  createTestCertificates,
  type TestCertificate,
  type TestCertificates,
} from '../helpers/tls-certs.js';
import { waitFor } from '../helpers/wait-for.js';

const DAY_MS = 86_400_000;

let certificates: TestCertificates;
let selfSigned: TestTlsServer;
let expired: TestTlsServer;
let expiringSoon: TestTlsServer;
let caSigned: TestTlsServer;
let silent: TestTcpServer;

const serve = (certificate: TestCertificate) => startTlsServer({ cert: certificate.chain, key: certificate.key });
const expiry = (certificate: TestCertificate) => certificate.notAfter.getTime() / 1000;

beforeAll(async () => {
  certificates = await createTestCertificates();
  [selfSigned, expired, expiringSoon, caSigned, silent] = await Promise.all([
    serve(certificates.selfSigned),
    serve(certificates.expired),
    serve(certificates.expiringSoon),
    serve(certificates.leaf),
    startSilentServer(),
  ]);
});

afterAll(async () => {
  await Promise.all([selfSigned, expired, expiringSoon, caSigned, silent].map((server) => server?.close()));
  await certificates?.close();
});

describe('probeTls', () => {
  it('refuses a self-signed certificate when verifying, still reporting its expiry', async () => {
    const outcome = await probeTls(tlsCheck('127.0.0.1', selfSigned.port, { verify: true }), probeContext());

    expect(outcome).toMatchObject({
      ok: false,
      reason: 'tls',
      message: 'certificate verification failed: self-signed certificate',
    });
    expect(outcome.certExpiresAt).toBe(expiry(certificates.selfSigned));
    expect(outcome.phases.connect).toBeGreaterThan(0);
    expect(outcome.phases.tls).toBeGreaterThan(0);
    expect(outcome.durationMs).toBeGreaterThanOrEqual((outcome.phases.connect ?? 0) + (outcome.phases.tls ?? 0));
    expect(outcome.durationMs).toBeLessThan(1_000);
  });

  it('accepts the same certificate without verification', async () => {
    const outcome = await probeTls(
      tlsCheck('127.0.0.1', selfSigned.port, { verify: false, minDaysRemaining: 1 }),
      probeContext(),
    );

    expect(outcome.ok).toBe(true);
    expect(outcome.message).toMatch(
      /^TLSv1\.[23], certificate valid for 1 day \(\d{4}-\d\d-\d\dT[\d:]+Z, CN=localhost\)$/,
    );
    expect(outcome).not.toHaveProperty('warning');
    expect(outcome.certExpiresAt).toBe(expiry(certificates.selfSigned));
  });

  it('fails an expired certificate even without verification, saying how long ago', async () => {
    const outcome = await probeTls(tlsCheck('127.0.0.1', expired.port, { verify: false }), probeContext());

    const when = certificates.expired.notAfter.toISOString().replace('.000Z', 'Z');
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'tls',
      message: `certificate expired 3 days ago (${when}, CN=localhost)`,
    });
    expect(outcome.certExpiresAt).toBe(expiry(certificates.expired));
  });

  it('names the expiry rather than a bare verification code when verifying an expired certificate', async () => {
    const outcome = await probeTls(tlsCheck('localhost', expired.port, { verify: true }), probeContext());

    expect(outcome).toMatchObject({ ok: false, reason: 'tls' });
    expect(outcome.message).toMatch(/^certificate expired 3 days ago/);
    expect(outcome.phases.dns).toBeGreaterThanOrEqual(0);
  });

  it('warns when the certificate expires within minDaysRemaining', async () => {
    const outcome = await probeTls(
      tlsCheck('127.0.0.1', expiringSoon.port, { verify: false, minDaysRemaining: 14 }),
      probeContext(),
    );

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.warning?.reason).toBe('tls');
    expect(outcome.warning?.message).toMatch(/^certificate expires in 5 days \(.*, CN=localhost\)$/);
    expect(outcome.certExpiresAt).toBe(expiry(certificates.expiringSoon));
  });

  it('does not warn when the expiry is further away than minDaysRemaining', async () => {
    const outcome = await probeTls(
      tlsCheck('127.0.0.1', expiringSoon.port, { verify: false, minDaysRemaining: 3 }),
      probeContext(),
    );

    expect(outcome).toMatchObject({ ok: true });
    expect(outcome).not.toHaveProperty('warning');
  });

  it('refuses a chain whose root is not trusted, and accepts it without verification', async () => {
    const verified = await probeTls(tlsCheck('localhost', caSigned.port, { verify: true }), probeContext());
    const unverified = await probeTls(
      tlsCheck('localhost', caSigned.port, { verify: false, minDaysRemaining: 1 }),
      probeContext(),
    );

    expect(verified).toMatchObject({ ok: false, reason: 'tls' });
    expect(verified.message).toContain('self-signed certificate in the chain');
    expect(unverified).toMatchObject({ ok: true, certExpiresAt: expiry(certificates.leaf) });
  });

  it('reports the earliest expiry across the chain, naming the certificate', async () => {
    const factory = await createCertificateFactory();
    const now = Date.now();
    const ca = await factory.issue({
      commonName: 'Short CA',
      isCa: true,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 3 * DAY_MS),
    });
    const leaf = await factory.issue({
      commonName: 'localhost',
      altNames: ['DNS:localhost'],
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 60 * DAY_MS),
      issuer: ca,
    });
    const server = await serve(leaf);
    try {
      const outcome = await probeTls(
        tlsCheck('127.0.0.1', server.port, { verify: false, minDaysRemaining: 7 }),
        probeContext(),
      );

      expect(outcome).toMatchObject({ ok: true, certExpiresAt: expiry(ca) });
      if (outcome.ok) expect(outcome.warning?.message).toMatch(/^certificate expires in 2 days \(.*, CN=Short CA\)$/);
    } finally {
      await server.close();
      await factory.close();
    }
  });

  it('sends the host name as SNI, serverName when set, and none for an IP address', async () => {
    const before = selfSigned.serverNames().length;
    await probeTls(tlsCheck('localhost', selfSigned.port, { verify: false }), probeContext());
    await probeTls(
      tlsCheck('127.0.0.1', selfSigned.port, { verify: false, serverName: 'status.example.test' }),
      probeContext(),
    );
    const accepted = selfSigned.acceptedConnections();
    const outcome = await probeTls(tlsCheck('127.0.0.1', selfSigned.port, { verify: false }), probeContext());

    expect(outcome.ok).toBe(true);
    expect(selfSigned.acceptedConnections()).toBe(accepted + 1);
    expect(selfSigned.serverNames().slice(before)).toEqual(['localhost', 'status.example.test']);
  });

  it('reports connect when the port refuses', async () => {
    const port = await unusedPort();
    const outcome = await probeTls(tlsCheck('127.0.0.1', port), probeContext());

    expect(outcome).toMatchObject({ ok: false, reason: 'connect', message: `connection refused by 127.0.0.1:${port}` });
    expect(outcome).not.toHaveProperty('certExpiresAt');
    expect(outcome.phases.tls).toBeUndefined();
  });

  it('times out waiting for the handshake on a server that never answers, and hangs up', async () => {
    const outcome = await probeTls(tlsCheck('127.0.0.1', silent.port), probeContext(300));

    expect(outcome).toMatchObject({
      ok: false,
      reason: 'timeout',
      message: `timed out after 300 ms waiting for TLS handshake with 127.0.0.1:${silent.port}`,
    });
    expect(outcome.phases.tls).toBeGreaterThanOrEqual(250);
    expect(outcome.durationMs).toBeLessThan(1_000);
    await waitFor(
      () => silent.openConnections() === 0,
      2_000,
      () => 'the silent server to see the probe disconnect',
    );
  });
});

// The tcp probe against real local servers: connect, refused, banner expect, send/expect, silence, bad host, TLS.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTcp } from '../../src/probe/tcp.js';
import { probeContext, tcpCheck } from '../helpers/checks.js';
import { match } from '../helpers/match.js';
import { unusedPort } from '../helpers/ports.js';
import {
  BANNER,
  startBannerServer,
  startEchoServer,
  startSilentServer,
  startTlsServer,
  type TestTcpServer,
} from '../helpers/tcp-servers.js';
import { createTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';
import { waitFor } from '../helpers/wait-for.js';

let banner: TestTcpServer;
let echo: TestTcpServer;
let silent: TestTcpServer;
let tlsBanner: TestTcpServer;
let certificates: TestCertificates;

beforeAll(async () => {
  certificates = await createTestCertificates();
  [banner, echo, silent, tlsBanner] = await Promise.all([
    startBannerServer(),
    startEchoServer(),
    startSilentServer(),
    startTlsServer({
      cert: certificates.selfSigned.cert,
      key: certificates.selfSigned.key,
      banner: '+OK tls ready\r\n',
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([banner?.close(), echo?.close(), silent?.close(), tlsBanner?.close()]);
  await certificates?.close();
});

describe('probeTcp', () => {
  it('succeeds when the port accepts a connection, timing the connect phase', async () => {
    const outcome = await probeTcp(tcpCheck(banner.host, banner.port), probeContext());

    expect(outcome).toMatchObject({ ok: true, message: `connected to 127.0.0.1:${banner.port}` });
    expect(outcome.phases.connect).toBeGreaterThan(0);
    expect(outcome.phases.dns).toBeUndefined();
    expect(outcome.durationMs).toBeGreaterThanOrEqual(outcome.phases.connect ?? 0);
    expect(outcome.durationMs).toBeLessThan(1_000);
  });

  it('resolves a host name in a dns phase', async () => {
    const outcome = await probeTcp(tcpCheck('localhost', banner.port), probeContext());

    // localhost may resolve to ::1 first, where nothing listens; either way the lookup was timed.
    expect(outcome.phases.dns).toBeGreaterThanOrEqual(0);
    if (outcome.ok) expect(outcome.message).toBe(`connected to localhost:${banner.port}`);
    else expect(outcome.reason).toBe('connect');
  });

  it('reports connect when the port refuses', async () => {
    const port = await unusedPort();
    const outcome = await probeTcp(tcpCheck('127.0.0.1', port), probeContext());

    expect(outcome).toMatchObject({ ok: false, reason: 'connect', message: `connection refused by 127.0.0.1:${port}` });
    expect(outcome.phases.connect).toBeGreaterThanOrEqual(0);
  });

  it('reports dns when the host does not exist', async () => {
    const outcome = await probeTcp(tcpCheck('no-such-host.invalid', 80), probeContext());

    expect(outcome.ok).toBe(false);
    expect(outcome).toMatchObject({ reason: 'dns' });
    expect(outcome.message).toContain('no-such-host.invalid');
    expect(outcome.phases.dns).toBeGreaterThanOrEqual(0);
    expect(outcome.phases.connect).toBeUndefined();
  });

  it('matches the banner against expect', async () => {
    const outcome = await probeTcp(tcpCheck(banner.host, banner.port, { expect: '^220 .*ready' }), probeContext());

    expect(outcome.ok).toBe(true);
    expect(outcome.message).toContain('response matched /^220 .*ready/');
    expect(outcome.message).toContain('220 vigil-test ready');
    expect(outcome.phases.processing).toBeGreaterThanOrEqual(0);
  });

  it('fails with body and quotes what arrived when the banner does not match', async () => {
    const outcome = await probeTcp(
      tcpCheck(banner.host, banner.port, { expect: '^SSH-2\\.0', timeoutMs: 500 }),
      probeContext(500),
    );

    // The banner server keeps the connection open: the probe reads until the deadline, then says what it saw.
    expect(outcome).toMatchObject({ ok: false, reason: 'body' });
    expect(outcome.message).toBe(
      `response from 127.0.0.1:${banner.port} did not match /^SSH-2\\.0/ within 500 ms; received: "220 vigil-test ready\\r\\n"`,
    );
    expect(outcome.durationMs).toBeGreaterThanOrEqual(450);
  });

  it('fails with body when the peer closes before the response matches', async () => {
    const closing = await startBannerServer(BANNER, { hangUp: true });
    try {
      const outcome = await probeTcp(tcpCheck(closing.host, closing.port, { expect: '^SSH-2\\.0' }), probeContext());

      expect(outcome).toMatchObject({ ok: false, reason: 'body' });
      expect(outcome.message).toContain('did not match /^SSH-2\\.0/ before the connection closed');
      expect(outcome.message).toContain('received: "220 vigil-test ready\\r\\n"');
    } finally {
      await closing.close();
    }
  });

  it('sends and expects the echo', async () => {
    const outcome = await probeTcp(
      tcpCheck(echo.host, echo.port, { send: 'PING vigil\r\n', expect: 'PING vigil' }),
      probeContext(),
    );

    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.message).toContain('response matched /PING vigil/');
  });

  it('times out on a silent server, names what it waited for and closes the connection', async () => {
    const before = silent.acceptedConnections();
    const outcome = await probeTcp(tcpCheck(silent.host, silent.port, { expect: 'anything' }), probeContext(300));

    expect(outcome).toMatchObject({ ok: false, reason: 'timeout' });
    expect(outcome.message).toBe(
      `timed out after 300 ms waiting for a response matching /anything/ from 127.0.0.1:${silent.port} (received nothing)`,
    );
    expect(outcome.durationMs).toBeGreaterThanOrEqual(250);
    expect(outcome.durationMs).toBeLessThan(1_000);
    expect(silent.acceptedConnections()).toBe(before + 1);
    await waitFor(
      () => silent.openConnections() === 0,
      2_000,
      () => 'the silent server to see the probe disconnect',
    );
  });

  it('speaks TLS when asked, refusing a self-signed certificate when verifying', async () => {
    const outcome = await probeTcp(
      tcpCheck(tlsBanner.host, tlsBanner.port, { tls: true, tlsVerify: true }),
      probeContext(),
    );

    expect(outcome).toMatchObject({ ok: false, reason: 'tls' });
    expect(outcome.message).toContain('self-signed');
    expect(outcome.certExpiresAt).toBe(certificates.selfSigned.notAfter.getTime() / 1000);
    expect(outcome.phases.tls).toBeGreaterThan(0);
  });

  it('speaks TLS without verification and reads the banner after the handshake', async () => {
    const check = tcpCheck(tlsBanner.host, tlsBanner.port, { tls: true, tlsVerify: false, expect: '^\\+OK' });
    const outcome = await probeTcp(check, probeContext());

    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.message).toMatch(/^connected to 127\.0\.0\.1:\d+ over TLSv1\.[23]; response matched/);
    expect(outcome.phases).toEqual({
      connect: match.any(Number),
      tls: match.any(Number),
      processing: match.any(Number),
    });
  });

  it('reports tls when the port does not speak TLS', async () => {
    const outcome = await probeTcp(tcpCheck(banner.host, banner.port, { tls: true, tlsVerify: false }), probeContext());

    expect(outcome).toMatchObject({ ok: false, reason: 'tls' });
    expect(outcome.message).toContain(`TLS handshake with 127.0.0.1:${banner.port} failed`);
  });

  it('fails with error, without connecting, on an invalid expect pattern', async () => {
    const before = banner.acceptedConnections();
    const outcome = await probeTcp(tcpCheck(banner.host, banner.port, { expect: '(' }), probeContext());

    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
    expect(outcome.message).toContain('invalid expect pattern /(/');
    expect(banner.acceptedConnections()).toBe(before);
  });
});

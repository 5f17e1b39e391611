// The redis probe against a real redis-server: what a user sees for a healthy server, each way it can fail, and
// that a probe of a server that never answers gives up on time and hangs up.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeRedis } from '../../src/probe/redis.js';
import { probeContext, redisCheck } from '../helpers/checks.js';
import { unusedPort } from '../helpers/ports.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { startSilentServer, startTlsServer, type TestTcpServer, type TestTlsServer } from '../helpers/tcp-servers.js';
import { createTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';

const PASSWORD = 'redis-test-pw';
const WRONG_PASSWORD = 'wrong-pw-9z8y7x';

let server: RedisServer;

beforeAll(async () => {
  server = await startRedis({ password: PASSWORD });
});

afterAll(async () => {
  await server?.stop();
});

async function probe(url: string, timeoutMs = 5_000) {
  const started = performance.now();
  const outcome = await probeRedis(redisCheck(url, { timeoutMs }), probeContext(timeoutMs));
  return { outcome, elapsedMs: performance.now() - started };
}

describe('redis probe', () => {
  it('reports a healthy server with connect and processing phases', async () => {
    const { outcome } = await probe(server.url);

    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.message).toMatch(/^PING answered PONG in \d+ ms$/);
    expect(outcome.phases.connect).toBeGreaterThan(0);
    expect(outcome.phases.processing).toBeGreaterThan(0);
    expect(outcome.durationMs).toBeGreaterThanOrEqual((outcome.phases.connect ?? 0) + (outcome.phases.processing ?? 0));
  });

  it('reports a wrong password as an error in the server words, never showing the password', async () => {
    const { outcome } = await probe(`redis://:${WRONG_PASSWORD}@127.0.0.1:${server.port}`);

    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
    expect(outcome.message).toMatch(/^WRONGPASS/);
    expect(outcome.message).not.toContain(WRONG_PASSWORD);
  });

  it('reports a missing password as an error', async () => {
    const { outcome } = await probe(`redis://127.0.0.1:${server.port}`);

    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
    expect(outcome.message).toContain('NOAUTH');
  });

  it('reports a database index the server does not have', async () => {
    const { outcome } = await probe(`${server.url}/99`);

    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
    expect(outcome.message).toContain('DB index is out of range');
  });

  it('reports a refused port as a connect failure naming the target', async () => {
    const port = await unusedPort();
    const { outcome } = await probe(`redis://:${PASSWORD}@127.0.0.1:${port}`);

    expect(outcome).toMatchObject({ ok: false, reason: 'connect' });
    expect(outcome.message).toContain(`127.0.0.1:${port}`);
    expect(outcome.message).not.toContain(PASSWORD);
  });

  it('reports an unknown host as a DNS failure', async () => {
    const { outcome } = await probe(`redis://:${PASSWORD}@no-such-host.invalid:6379`);

    expect(outcome).toMatchObject({ ok: false, reason: 'dns' });
    expect(outcome.message).toContain('no-such-host.invalid');
    expect(outcome.message).not.toContain(PASSWORD);
  });

  describe('against a server that accepts connections but never answers', () => {
    let silent: TestTcpServer;

    beforeAll(async () => {
      silent = await startSilentServer();
    });

    afterAll(async () => {
      await silent?.close();
    });

    it('times out on time and hangs up', async () => {
      const { outcome, elapsedMs } = await probe(`redis://:${PASSWORD}@127.0.0.1:${silent.port}`, 1_000);

      expect(outcome).toMatchObject({ ok: false, reason: 'timeout' });
      expect(outcome.message).toContain(`timed out after 1000 ms waiting for a connection to 127.0.0.1:${silent.port}`);
      expect(elapsedMs).toBeLessThan(1_500);
      expect(silent.acceptedConnections()).toBe(1);
      await expect.poll(() => silent.openConnections(), { timeout: 1_000 }).toBe(0);
    });
  });

  describe('with rediss://', () => {
    let certificates: TestCertificates;
    let tlsServer: TestTlsServer;

    beforeAll(async () => {
      certificates = await createTestCertificates();
      tlsServer = await startTlsServer({ cert: certificates.selfSigned.chain, key: certificates.selfSigned.key });
    });

    afterAll(async () => {
      await tlsServer?.close();
      await certificates?.close();
    });

    it('speaks TLS and refuses a certificate it cannot verify', async () => {
      const { outcome } = await probe(`rediss://:${PASSWORD}@localhost:${tlsServer.port}`);

      expect(outcome).toMatchObject({ ok: false, reason: 'tls' });
      expect(outcome.message).toContain('self-signed certificate');
      expect(tlsServer.serverNames()).toEqual(['localhost']);
      await expect.poll(() => tlsServer.openConnections(), { timeout: 1_000 }).toBe(0);
    });
  });
});

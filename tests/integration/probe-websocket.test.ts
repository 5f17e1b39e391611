// The websocket probe against a local `ws` server: echo with expect, greeting, mismatch, refused upgrade,
// early close, silence, headers, refused port and an untrusted wss certificate.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeWebsocket } from '../../src/probe/websocket.js';
import { probeContext, websocketCheck } from '../helpers/checks.js';
import { unusedPort } from '../helpers/ports.js';
import { createTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';
import { waitFor } from '../helpers/wait-for.js';
import { GREETING, startWebsocketServer, type TestWebsocketServer } from '../helpers/websocket-echo-server.js';

let server: TestWebsocketServer;
let secure: TestWebsocketServer;
let certificates: TestCertificates;

beforeAll(async () => {
  certificates = await createTestCertificates();
  [server, secure] = await Promise.all([
    startWebsocketServer(),
    startWebsocketServer({ tls: { cert: certificates.selfSigned.cert, key: certificates.selfSigned.key } }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.close(), secure?.close()]);
  await certificates?.close();
});

describe('probeWebsocket', () => {
  it('sends a message and matches the echo, timing connect and processing', async () => {
    const check = websocketCheck(`${server.url}/echo`, { send: 'ping vigil', expect: '^ping vigil$' });
    const outcome = await probeWebsocket(check, probeContext());

    expect(outcome).toMatchObject({
      ok: true,
      message: `connected to ${server.url}/echo; first message matched /^ping vigil$/: "ping vigil"`,
    });
    expect(outcome.phases.connect).toBeGreaterThan(0);
    expect(outcome.phases.processing).toBeGreaterThanOrEqual(0);
    expect(outcome.durationMs).toBeGreaterThanOrEqual((outcome.phases.connect ?? 0) + (outcome.phases.processing ?? 0));
    expect(outcome.durationMs).toBeLessThan(1_000);
    await waitFor(
      () => server.openConnections() === 0,
      2_000,
      () => 'the server to see the probe close',
    );
  });

  it('succeeds on open when there is nothing to expect', async () => {
    const outcome = await probeWebsocket(websocketCheck(`${server.url}/silent`), probeContext());

    expect(outcome).toMatchObject({ ok: true, message: `connected to ${server.url}/silent` });
    expect(outcome.phases.processing).toBeUndefined();
  });

  it('matches a greeting the server sends on connect', async () => {
    const outcome = await probeWebsocket(
      websocketCheck(`${server.url}/greet`, { expect: 'hello from' }),
      probeContext(),
    );

    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.message).toContain(GREETING);
  });

  it('sends the configured headers with the upgrade', async () => {
    const check = websocketCheck(`${server.url}/headers`, {
      headers: { 'X-Probe': 'vigil-check' },
      expect: '"x-probe":"vigil-check"',
    });
    const outcome = await probeWebsocket(check, probeContext());

    expect(outcome).toMatchObject({ ok: true });
  });

  it('fails with body when the first message does not match, quoting it', async () => {
    const check = websocketCheck(`${server.url}/echo`, { send: 'ping vigil', expect: '^pong' });
    const outcome = await probeWebsocket(check, probeContext());

    expect(outcome).toMatchObject({
      ok: false,
      reason: 'body',
      message: `first message from ${server.url}/echo did not match /^pong/; received: "ping vigil"`,
    });
  });

  it('reports status_code with the HTTP status when the upgrade is refused', async () => {
    const outcome = await probeWebsocket(websocketCheck(`${server.url}/forbidden`), probeContext());

    expect(outcome).toMatchObject({
      ok: false,
      reason: 'status_code',
      httpStatus: 403,
      message: `WebSocket upgrade of ${server.url}/forbidden refused: HTTP 403 Forbidden`,
    });
    expect(outcome.phases.connect).toBeGreaterThan(0);
  });

  it('fails with body when the server closes before the first message', async () => {
    const outcome = await probeWebsocket(websocketCheck(`${server.url}/close`, { expect: '.' }), probeContext());

    expect(outcome).toMatchObject({
      ok: false,
      reason: 'body',
      message: `connection to ${server.url}/close closed (code 1000: bye) before the first message`,
    });
  });

  it('times out on a server that never answers, naming what it waited for, and closes the connection', async () => {
    const outcome = await probeWebsocket(
      websocketCheck(`${server.url}/silent`, { send: 'anyone?', expect: '.' }),
      probeContext(300),
    );

    expect(outcome).toMatchObject({
      ok: false,
      reason: 'timeout',
      message: `timed out after 300 ms waiting for the first message from ${server.url}/silent`,
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(250);
    expect(outcome.durationMs).toBeLessThan(1_000);
    await waitFor(
      () => server.openConnections() === 0,
      2_000,
      () => 'the server to see the probe close',
    );
  });

  it('reports connect when the port refuses', async () => {
    const port = await unusedPort();
    const outcome = await probeWebsocket(websocketCheck(`ws://127.0.0.1:${port}/echo`), probeContext());

    expect(outcome).toMatchObject({ ok: false, reason: 'connect', message: `connection refused by 127.0.0.1:${port}` });
  });

  it('reports tls for a wss server whose certificate is not trusted, with the certificate expiry', async () => {
    const outcome = await probeWebsocket(websocketCheck(`${secure.url}/echo`), probeContext());

    expect(outcome).toMatchObject({
      ok: false,
      reason: 'tls',
      message: 'certificate verification failed: self-signed certificate',
      certExpiresAt: certificates.selfSigned.notAfter.getTime() / 1000,
    });
  });

  it('fails with error on a URL that is not ws:// or wss://', async () => {
    const outcome = await probeWebsocket(websocketCheck(`http://127.0.0.1:${server.port}/echo`), probeContext());

    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
    expect(outcome.message).toContain('ws:// or wss://');
  });
});

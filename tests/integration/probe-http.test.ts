import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BodyValidation, HttpCheck, HttpValidation } from '../../src/model/check.js';
import { probeHttp } from '../../src/probe/http.js';
import type { ProbeOutcome } from '../../src/probe/types.js';
import { httpCheck, probeContext } from '../helpers/checks.js';
import { unusedPort } from '../helpers/ports.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target-server.js';
import { pollUntil } from '../helpers/wait-for.js';

const MiB = 1024 * 1024;

let target: HttpTarget;

beforeAll(async () => {
  target = await startHttpTarget();
});

afterAll(async () => {
  await target?.close();
});

function validation(overrides: Partial<HttpValidation> = {}): HttpValidation {
  return { statusCodes: [200], headers: {}, headersAbsent: [], ...overrides };
}

function bodyRules(overrides: Partial<BodyValidation> = {}): BodyValidation {
  return { type: 'text', containsAny: [], containsAll: [], notContains: [], matches: [], jsonPath: [], ...overrides };
}

async function probe(path: string, overrides: Partial<HttpCheck> = {}, base = target.url): Promise<ProbeOutcome> {
  const check = httpCheck(`${base}${path}`, overrides);
  return probeHttp(check, probeContext(check.timeoutMs));
}

/** Polls until the target has no open connection left, or fails after the deadline. */
async function expectNoOpenConnections(server: HttpTarget, deadlineMs = 2_000): Promise<void> {
  const open = await pollUntil(
    () => server.openConnections(),
    (count) => count === 0,
    { timeoutMs: deadlineMs, intervalMs: 20 },
  );
  expect(open).toBe(0);
}

describe('probeHttp against a healthy endpoint', () => {
  it('succeeds with the status and every phase of a plain HTTP request timed', async () => {
    const outcome = await probe('/ok', {
      validation: validation({
        headers: { 'content-type': 'application/json' },
        body: bodyRules({
          type: 'json',
          jsonPath: [
            { path: '$.status', equals: 'ok' },
            { path: '$.version', matches: '^1\\.' },
          ],
        }),
      }),
    });
    expect(outcome).toMatchObject({ ok: true, httpStatus: 200, message: 'HTTP 200' });
    expect(outcome.phases.connect).toBeGreaterThan(0);
    expect(outcome.phases.processing).toBeGreaterThan(0);
    expect(outcome.phases.transfer).toBeGreaterThanOrEqual(0);
    // An IP literal needs no lookup and plain HTTP no handshake.
    expect(outcome.phases.dns).toBeUndefined();
    expect(outcome.phases.tls).toBeUndefined();
    const phaseSum = Object.values(outcome.phases).reduce((sum, ms) => sum + ms, 0);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(phaseSum * 0.99);
  });

  it('times the DNS lookup when the URL names a host', async () => {
    const outcome = await probe('/ok', {}, `http://localhost:${target.port}`);
    expect(outcome.ok).toBe(true);
    expect(outcome.phases.dns).toBeGreaterThanOrEqual(0);
  });

  it('opens a fresh connection for every probe and closes it afterwards', async () => {
    const before = target.acceptedConnections();
    await probe('/ok');
    await probe('/ok');
    expect(target.acceptedConnections() - before).toBe(2);
    await expectNoOpenConnections(target);
  });

  it('sends its User-Agent, the method, headers and body of the check', async () => {
    const outcome = await probe('/echo', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-probe': 'yes' },
      body: 'ping',
      validation: validation({
        body: bodyRules({
          jsonPath: [
            { path: '$.method', equals: 'POST' },
            { path: '$.body', equals: 'ping' },
            { path: "$.headers['user-agent']", equals: 'Vigil/0.1 (+uptime probe)' },
            { path: "$.headers['x-probe']", equals: 'yes' },
          ],
        }),
      }),
    });
    expect(outcome).toMatchObject({ ok: true });
  });

  it("keeps the check's own User-Agent", async () => {
    const outcome = await probe('/echo', {
      headers: { 'User-Agent': 'custom/1.0' },
      validation: validation({
        body: bodyRules({ jsonPath: [{ path: "$.headers['user-agent']", equals: 'custom/1.0' }] }),
      }),
    });
    expect(outcome).toMatchObject({ ok: true });
  });

  it('measures a slow answer in full', async () => {
    const outcome = await probe('/slow?ms=300');
    expect(outcome.ok).toBe(true);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(300);
    expect(outcome.phases.processing).toBeGreaterThanOrEqual(290);
  });
});

describe('probeHttp failures', () => {
  it('times out on a server that never answers, naming the phase, and leaves no socket open', async () => {
    const started = performance.now();
    const outcome = await probe('/hang', { timeoutMs: 1_000 });
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout', message: 'no response headers within 1s' });
    expect(outcome.httpStatus).toBeUndefined();
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(1_400);
    await expectNoOpenConnections(target, 500);
  });

  it('fails an unexpected status code', async () => {
    const outcome = await probe('/status/500');
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'status_code',
      message: 'HTTP 500, expected 200',
      httpStatus: 500,
    });
  });

  it('accepts any 2xx when no status code is configured', async () => {
    expect(await probe('/status/204', { validation: validation({ statusCodes: [] }) })).toMatchObject({
      ok: true,
      httpStatus: 204,
    });
  });

  it('fails a JSONPath assertion on a wrong value, quoting it', async () => {
    const outcome = await probe('/json/wrong', {
      validation: validation({ body: bodyRules({ type: 'json', jsonPath: [{ path: '$.status', equals: 'ok' }] }) }),
    });
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'json_path',
      message: '$.status is "degraded", expected "ok"',
      httpStatus: 200,
    });
  });

  it('fails malformed JSON as a body problem', async () => {
    const outcome = await probe('/json/malformed', { validation: validation({ body: bodyRules({ type: 'json' }) }) });
    expect(outcome).toMatchObject({ ok: false, reason: 'body', httpStatus: 200 });
    expect(outcome.message).toMatch(/^response is not valid JSON: /);
  });

  it('checks a text body', async () => {
    const pass = await probe('/text', {
      validation: validation({ body: bodyRules({ containsAll: ['vigil'], notContains: ['error'] }) }),
    });
    expect(pass.ok).toBe(true);
    const fail = await probe('/text', { validation: validation({ body: bodyRules({ containsAny: ['healthy'] }) }) });
    expect(fail).toMatchObject({ ok: false, reason: 'body' });
    expect(fail.message).toBe('body contains none of "healthy" (body: "hello from the vigil test target\\n")');
  });

  it('matches header values in full and reports the observed value', async () => {
    expect(
      await probe('/ok', { validation: validation({ headers: { 'Content-Type': 'application/json' } }) }),
    ).toMatchObject({
      ok: true,
    });
    const outcome = await probe('/ok', { validation: validation({ headers: { 'content-type': 'text/html.*' } }) });
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'header',
      message: 'header content-type is "application/json", expected to match text/html.*',
    });
  });

  it('fails when a header that must be absent is present', async () => {
    const rules = validation({ headersAbsent: ['x-powered-by'] });
    expect(await probe('/ok', { validation: rules })).toMatchObject({ ok: true });
    expect(await probe('/headers/with-powered-by', { validation: rules })).toMatchObject({
      ok: false,
      reason: 'header',
      message: 'header x-powered-by is present ("Express"), expected absent',
    });
  });

  it('reports a refused connection', async () => {
    const port = await unusedPort();
    const outcome = await probeHttp(httpCheck(`http://127.0.0.1:${port}/`), probeContext());
    expect(outcome).toMatchObject({ ok: false, reason: 'connect', message: `connection refused by 127.0.0.1:${port}` });
  });

  it('reports a name that does not resolve', async () => {
    const outcome = await probeHttp(httpCheck('http://vigil-test.invalid/'), probeContext());
    expect(outcome).toMatchObject({ ok: false, reason: 'dns' });
    expect(outcome.message).toContain('vigil-test.invalid');
  });

  it('reports an invalid URL as an error instead of throwing', async () => {
    const outcome = await probeHttp(httpCheck('not a url'), probeContext());
    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
    expect(outcome.message).toMatch(/^invalid URL "not a url"/);
  });
});

describe('probeHttp against servers that break HTTP', () => {
  /** A raw TCP server that answers every request it reads with `reply` (ending the connection after it). */
  async function withRawServer(reply: string, run: (base: string) => Promise<void>): Promise<void> {
    const server = createServer((socket) => socket.once('data', () => socket.end(reply)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      await run(`http://127.0.0.1:${port}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('says the server hung up when it closes the connection without answering', async () => {
    await withRawServer('', async (base) => {
      const outcome = await probe('/', {}, base);
      expect(outcome).toMatchObject({
        ok: false,
        reason: 'connect',
        message: `connection closed by the server before the response was complete (${base.slice('http://'.length)})`,
      });
    });
  });

  it('fails a body cut short by the server, keeping the status it sent', async () => {
    await withRawServer('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part', async (base) => {
      const outcome = await probe('/', {}, base);
      expect(outcome).toMatchObject({ ok: false, reason: 'connect', httpStatus: 200 });
      expect(outcome.message).toMatch(/^connection closed by the server before the response was complete/);
    });
  });

  it('names a server that does not speak HTTP', async () => {
    await withRawServer('SSH-2.0-OpenSSH_9.2\r\n', async (base) => {
      const outcome = await probe('/', {}, base);
      expect(outcome).toMatchObject({ ok: false, reason: 'error' });
      expect(outcome.message).toMatch(new RegExp(`^invalid HTTP response from ${base.slice('http://'.length)}: `));
    });
  });
});

describe('probeHttp redirects', () => {
  it('follows a chain to the final answer', async () => {
    const outcome = await probe('/redirect/chain?n=3');
    expect(outcome).toMatchObject({ ok: true, httpStatus: 200, message: 'HTTP 200 after 3 redirects' });
  });

  it('fails a redirect loop, naming it', async () => {
    const outcome = await probe('/redirect/loop-a');
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'status_code',
      httpStatus: 302,
      message: 'redirect loop: /redirect/loop-a -> /redirect/loop-b -> /redirect/loop-a',
    });
  });

  it('fails more redirects than allowed', async () => {
    const outcome = await probe('/redirect/chain?n=7', { maxRedirects: 5 });
    expect(outcome).toMatchObject({ ok: false, reason: 'status_code', message: 'more than 5 redirects' });
    expect(await probe('/redirect/chain?n=5', { maxRedirects: 5 })).toMatchObject({ ok: true });
  });

  it('judges the redirect itself when not following', async () => {
    const noFollow = { followRedirects: false };
    expect(
      await probe('/redirect/chain?n=3', { ...noFollow, validation: validation({ statusCodes: [302] }) }),
    ).toMatchObject({
      ok: true,
      httpStatus: 302,
    });
    expect(await probe('/redirect/chain?n=3', noFollow)).toMatchObject({
      ok: false,
      reason: 'status_code',
      message: 'HTTP 302, expected 200',
    });
  });
});

describe('probeHttp body limit', () => {
  it('stops reading an endless body at max_body_bytes and closes the connection', async () => {
    const outcome = await probe('/endless', { maxBodyBytes: MiB });
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'body',
      httpStatus: 200,
      message: 'response body exceeds 1 MiB (max_body_bytes)',
    });
    await expectNoOpenConnections(target);
  });

  it('keeps memory bounded over repeated endless bodies', async () => {
    const collect = (globalThis as { gc?: () => void }).gc;
    await probe('/endless', { maxBodyBytes: MiB });
    collect?.();
    const before = process.memoryUsage().rss;
    for (let run = 0; run < 20; run += 1) {
      const outcome = await probe('/endless', { maxBodyBytes: MiB });
      expect(outcome).toMatchObject({ ok: false, reason: 'body' });
    }
    collect?.();
    const growthMb = (process.memoryUsage().rss - before) / MiB;
    expect(growthMb).toBeLessThan(64);
  });
});

describe('probeHttp under load', () => {
  it('sends the requests at once, each on its own connection, and judges the slowest', async () => {
    const target2 = await startHttpTarget();
    try {
      // Each request to /slow/staggered waits 150 ms longer than the one before: 0, 150, ..., 600 ms.
      const outcome = await probe('/slow/staggered?step=150', { load: 5 }, target2.url);
      expect(outcome).toMatchObject({ ok: true, httpStatus: 200 });
      expect(outcome.message).toBe('HTTP 200 (slowest of 5 concurrent requests)');
      expect(outcome.durationMs).toBeGreaterThanOrEqual(600);
      // Sent one after the other they would take 1.5 s.
      expect(outcome.durationMs).toBeLessThan(1_200);
      expect(target2.acceptedConnections()).toBe(5);
    } finally {
      await target2.close();
    }
  });

  it('fails the run when any request fails', async () => {
    const outcome = await probe('/status/503', { load: 3 });
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'status_code',
      message: 'HTTP 503, expected 200 (3 of 3 concurrent requests failed)',
    });
  });
});

describe('probeHttp over TLS', () => {
  let certDir: string;
  let secureTarget: HttpTarget;

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'vigil-http-probe-'));
    const key = join(certDir, 'key.pem');
    const cert = join(certDir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      {
        stdio: 'ignore',
      },
    );
    secureTarget = await startHttpTarget({ tls: { key: readFileSync(key), cert: readFileSync(cert) } });
  });

  afterAll(async () => {
    await secureTarget?.close();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  it('fails a self-signed certificate when verifying, still reporting its expiry', async () => {
    const outcome = await probe('/ok', { tlsVerify: true }, `https://localhost:${secureTarget.port}`);
    expect(outcome).toMatchObject({ ok: false, reason: 'tls', message: 'self-signed certificate' });
    expect(outcome.certExpiresAt).toBeGreaterThan(Date.now() / 1000);
    await expectNoOpenConnections(secureTarget);
  });

  it('accepts any certificate without verification and reports its expiry and TLS timing', async () => {
    const outcome = await probe('/ok', { tlsVerify: false }, `https://localhost:${secureTarget.port}`);
    expect(outcome).toMatchObject({ ok: true, httpStatus: 200 });
    const now = Date.now() / 1000;
    expect(outcome.certExpiresAt).toBeGreaterThan(now + 86_400);
    expect(outcome.certExpiresAt).toBeLessThanOrEqual(now + 2 * 86_400 + 60);
    expect(outcome.phases.dns).toBeGreaterThanOrEqual(0);
    expect(outcome.phases.tls).toBeGreaterThan(0);
  });

  it('times out in the handshake against a server that accepts but never speaks TLS, closing the socket', async () => {
    const held = new Set<Socket>();
    const silent = createServer((socket) => {
      held.add(socket);
      // Read (and ignore) the ClientHello, so the client's hang-up is seen as soon as it happens.
      socket.resume();
      socket.on('close', () => held.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const outcome = await probe('/', { timeoutMs: 1_000 }, `https://127.0.0.1:${port}`);
      expect(outcome).toMatchObject({ ok: false, reason: 'timeout', message: 'TLS handshake not finished within 1s' });
      await pollUntil(
        () => held.size,
        (open) => open === 0,
        { timeoutMs: 2_000, intervalMs: 20 },
      );
      expect(held.size).toBe(0);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reports a TLS failure when the port speaks plain HTTP', async () => {
    const outcome = await probe('/ok', {}, `https://127.0.0.1:${target.port}`);
    expect(outcome).toMatchObject({ ok: false, reason: 'tls' });
    expect(outcome.message).toContain('wrong version number');
  });
});

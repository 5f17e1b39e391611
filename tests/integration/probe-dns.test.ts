// The dns probe against a local authoritative server: answers present and missing, record rendering, NXDOMAIN,
// SERVFAIL, no data, and servers that never answer or are not there.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDns } from '../../src/probe/dns.js';
import { dnsCheck, probeContext } from '../helpers/checks.js';
import { startDnsServer, startSilentDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { unusedPort } from '../helpers/ports.js';

let server: TestDnsServer;
let silent: TestDnsServer;

beforeAll(async () => {
  [server, silent] = await Promise.all([
    startDnsServer({
      'www.vigil.test': { A: ['192.0.2.10', '192.0.2.11'], AAAA: ['2001:db8::10'] },
      'vigil.test': {
        MX: [
          { priority: 10, exchange: 'mail.vigil.test' },
          { priority: 20, exchange: 'backup.vigil.test' },
        ],
        TXT: ['v=spf1 -all', 'site-verification=abc123'],
      },
      'alias.vigil.test': { CNAME: 'www.vigil.test' },
      'broken.vigil.test': { servfail: true },
    }),
    startSilentDnsServer(),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.close(), silent?.close()]);
});

describe('probeDns', () => {
  it('succeeds when every expected A answer is present, listing the answers', async () => {
    const check = dnsCheck('www.vigil.test', { server: server.address, expect: ['192.0.2.11'] });
    const outcome = await probeDns(check, probeContext());

    expect(outcome).toMatchObject({
      ok: true,
      message: `A www.vigil.test from ${server.address}: 192.0.2.10, 192.0.2.11`,
    });
    expect(outcome.phases.dns).toBeGreaterThan(0);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(outcome.phases.dns ?? 0);
    expect(outcome.durationMs).toBeLessThan(1_000);
  });

  it('fails with body when an expected answer is missing, saying what it got', async () => {
    const check = dnsCheck('www.vigil.test', { server: server.address, expect: ['192.0.2.10', '192.0.2.99'] });
    const outcome = await probeDns(check, probeContext());

    expect(outcome).toMatchObject({
      ok: false,
      reason: 'body',
      message: `A www.vigil.test from ${server.address}: missing 192.0.2.99; got 192.0.2.10, 192.0.2.11`,
    });
  });

  it('renders MX as "priority exchange" and matches expectations case-insensitively, trailing dot ignored', async () => {
    const check = dnsCheck('vigil.test', {
      server: server.address,
      recordType: 'MX',
      expect: ['10 MAIL.vigil.test.', 'backup.vigil.test'],
    });
    const outcome = await probeDns(check, probeContext());

    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.message).toContain('10 mail.vigil.test');
    expect(outcome.message).toContain('20 backup.vigil.test');
  });

  it('renders TXT, AAAA and CNAME answers', async () => {
    const txt = await probeDns(
      dnsCheck('vigil.test', { server: server.address, recordType: 'TXT', expect: ['v=spf1 -all'] }),
      probeContext(),
    );
    const aaaa = await probeDns(
      dnsCheck('www.vigil.test', { server: server.address, recordType: 'AAAA' }),
      probeContext(),
    );
    const cname = await probeDns(
      dnsCheck('alias.vigil.test', { server: server.address, recordType: 'CNAME', expect: ['www.vigil.test'] }),
      probeContext(),
    );

    expect(txt).toMatchObject({ ok: true });
    expect(txt.message).toContain('"v=spf1 -all"');
    expect(txt.message).toContain('"site-verification=abc123"');
    expect(aaaa).toMatchObject({ ok: true, message: `AAAA www.vigil.test from ${server.address}: 2001:db8::10` });
    expect(cname).toMatchObject({ ok: true, message: `CNAME alias.vigil.test from ${server.address}: www.vigil.test` });
  });

  it('reports dns for a name that does not exist', async () => {
    const outcome = await probeDns(dnsCheck('missing.vigil.test', { server: server.address }), probeContext());

    expect(outcome).toMatchObject({ ok: false, reason: 'dns' });
    expect(outcome.message).toMatch(/^NXDOMAIN: A missing\.vigil\.test/);
  });

  it('reports dns when the name exists without records of the type', async () => {
    const outcome = await probeDns(
      dnsCheck('alias.vigil.test', { server: server.address, recordType: 'MX' }),
      probeContext(),
    );

    expect(outcome).toMatchObject({ ok: false, reason: 'dns' });
    expect(outcome.message).toContain('no such records');
  });

  it('reports dns when the server fails', async () => {
    const outcome = await probeDns(dnsCheck('broken.vigil.test', { server: server.address }), probeContext());

    expect(outcome).toMatchObject({ ok: false, reason: 'dns' });
    expect(outcome.message).toMatch(/^SERVFAIL: A broken\.vigil\.test/);
  });

  it('times out when the server never answers, naming the question', async () => {
    const before = silent.queries();
    const outcome = await probeDns(
      dnsCheck('www.vigil.test', { server: silent.address, timeoutMs: 600 }),
      probeContext(600),
    );

    expect(outcome).toMatchObject({
      ok: false,
      reason: 'timeout',
      message: `timed out after 600 ms waiting for the A www.vigil.test answer from ${silent.address}`,
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(550);
    expect(outcome.durationMs).toBeLessThan(1_500);
    expect(silent.queries()).toBeGreaterThan(before);
  });

  it('reports connect, without waiting for the timeout, when nothing listens on the server port', async () => {
    const closed = { address: `127.0.0.1:${await unusedPort('udp')}` };
    const outcome = await probeDns(dnsCheck('www.vigil.test', { server: closed.address }), probeContext());

    // The kernel answers a UDP datagram to a closed local port with "port unreachable", which c-ares reports.
    expect(outcome).toMatchObject({ ok: false, reason: 'connect' });
    expect(outcome.message).toBe(
      `A www.vigil.test from ${closed.address}: connection refused (nothing listens on the DNS server's port)`,
    );
    expect(outcome.durationMs).toBeLessThan(1_000);
  });

  it('fails with error on a server address that is not host:port', async () => {
    const outcome = await probeDns(dnsCheck('www.vigil.test', { server: '127.0.0.1:notaport' }), probeContext());

    expect(outcome).toMatchObject({
      ok: false,
      reason: 'error',
      message: 'invalid DNS server "127.0.0.1:notaport": expected host:port',
    });
  });

  it('resolves a server given by name', async () => {
    const outcome = await probeDns(dnsCheck('www.vigil.test', { server: `localhost:${server.port}` }), probeContext());

    // localhost may resolve to ::1, where the test server does not listen; the lookup itself must have happened.
    expect(outcome.phases.dns).toBeGreaterThan(0);
    if (outcome.ok) expect(outcome.message).toContain('192.0.2.10');
    else expect(outcome.reason).toBe('connect');
  });
});

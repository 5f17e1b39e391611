import { describe, expect, it } from 'vitest';
import {
  classifyError,
  describeCertificateProblem,
  describeHandshakeError,
  describeLookupError,
  describeNetworkError,
  errorCode,
  errorText,
  formatDuration,
} from '../../../src/probe/errors.js';

function nodeError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('classifyError', () => {
  it.each([
    [
      nodeError('getaddrinfo ENOTFOUND shop.invalid', { code: 'ENOTFOUND', hostname: 'shop.invalid' }),
      'dns',
      'DNS lookup for shop.invalid failed: no such host',
    ],
    [
      nodeError('getaddrinfo EAI_AGAIN api', { code: 'EAI_AGAIN', hostname: 'api' }),
      'dns',
      'DNS lookup for api failed: temporary failure in name resolution (EAI_AGAIN)',
    ],
    [nodeError('x', { code: 'EAI_NODATA' }), 'dns', 'DNS lookup failed: no address records'],
    [
      nodeError('connect ECONNREFUSED 127.0.0.1:9', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 }),
      'connect',
      'connection refused (127.0.0.1:9)',
    ],
    [
      nodeError('connect ECONNREFUSED ::1:9', { code: 'ECONNREFUSED', address: '::1', port: 9 }),
      'connect',
      'connection refused ([::1]:9)',
    ],
    [nodeError('read ECONNRESET', { code: 'ECONNRESET' }), 'connect', 'connection reset by peer'],
    [nodeError('x', { code: 'EHOSTUNREACH', address: '10.0.0.1' }), 'connect', 'host unreachable (10.0.0.1)'],
    [nodeError('x', { code: 'ENETUNREACH' }), 'connect', 'network unreachable'],
    [nodeError('write EPIPE', { code: 'EPIPE' }), 'connect', 'connection closed by peer while sending'],
    [nodeError('certificate has expired', { code: 'CERT_HAS_EXPIRED' }), 'tls', 'certificate has expired'],
    [nodeError('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'tls', 'self-signed certificate'],
    [
      nodeError("Hostname/IP does not match certificate's altnames", { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }),
      'tls',
      'certificate does not match the host name',
    ],
    [
      nodeError('C0:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure', {
        code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
      }),
      'tls',
      'TLS handshake failed: sslv3 alert handshake failure',
    ],
    [nodeError('connect ETIMEDOUT', { code: 'ETIMEDOUT' }), 'timeout', 'connection timed out'],
    [nodeError('Headers Timeout Error', { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'timeout', 'no response headers in time'],
    [nodeError('weird', { code: 'EWEIRD' }), 'error', 'weird (EWEIRD)'],
    [new Error('Something broke.\nstack-ish detail'), 'error', 'Something broke'],
    ['a string was thrown', 'error', 'a string was thrown'],
  ])('%s', (error, reason, message) => {
    expect(classifyError(error)).toMatchObject({ reason, message });
  });

  it('uses the given message for an abort or a DOM timeout', () => {
    const options = { timeoutMessage: 'no response headers within 2s' };
    expect(classifyError(new DOMException('The operation was aborted', 'AbortError'), options)).toMatchObject({
      reason: 'timeout',
      message: 'no response headers within 2s',
    });
    expect(classifyError(new DOMException('signal timed out', 'TimeoutError'))).toMatchObject({
      reason: 'timeout',
      message: 'timed out',
    });
    expect(classifyError(new Error('fetch failed', { cause: new DOMException('x', 'AbortError') }))).toMatchObject({
      reason: 'timeout',
    });
  });

  it('finds the code on a cause or inside an AggregateError', () => {
    const wrapped = new Error('fetch failed', { cause: nodeError('x', { code: 'ENOTFOUND', hostname: 'a.invalid' }) });
    expect(classifyError(wrapped)).toMatchObject({
      reason: 'dns',
      message: 'DNS lookup for a.invalid failed: no such host',
    });
    const aggregate = Object.assign(
      new AggregateError([nodeError('x', { code: 'ECONNREFUSED', address: '::1', port: 80 })], 'all failed'),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(classifyError(aggregate)).toMatchObject({ reason: 'connect', message: 'connection refused ([::1]:80)' });
  });
});

describe('describeNetworkError', () => {
  const target = 'db.example.com:5432';

  it.each([
    [
      nodeError('connect ECONNREFUSED 10.0.0.5:5432', { code: 'ECONNREFUSED', address: '10.0.0.5', port: 5432 }),
      'connect',
      `connection refused by ${target}`,
    ],
    [nodeError('read ECONNRESET', { code: 'ECONNRESET' }), 'connect', `connection reset by ${target}`],
    [
      nodeError('getaddrinfo ENOTFOUND db.example.com', { code: 'ENOTFOUND', hostname: 'db.example.com' }),
      'dns',
      'DNS lookup for db.example.com failed: no such host',
    ],
    [nodeError('connect ETIMEDOUT', { code: 'ETIMEDOUT' }), 'timeout', `connection timed out (${target})`],
    [nodeError('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'tls', 'self-signed certificate'],
    [
      nodeError('C0:error:0A00010B:SSL routines:ssl3_get_record:wrong version number', {
        code: 'ERR_SSL_WRONG_VERSION_NUMBER',
      }),
      'tls',
      `TLS handshake with ${target} failed: wrong version number (is the port speaking plain text, not TLS?)`,
    ],
    [
      new Error('Client network socket disconnected before secure TLS connection was established'),
      'tls',
      `TLS handshake with ${target} failed: Client network socket disconnected before secure TLS connection was established`,
    ],
    [nodeError('weird.', { code: 'EWEIRD' }), 'error', `${target}: weird (EWEIRD)`],
  ])('%s', (error, reason, message) => {
    expect(describeNetworkError(error, target)).toEqual({ reason, message });
  });
});

describe('describeLookupError', () => {
  it("is a dns failure naming the host, in the resolver's words when the code is unknown", () => {
    expect(describeLookupError(nodeError('x', { code: 'EAI_AGAIN' }), 'api')).toEqual({
      reason: 'dns',
      message: 'DNS lookup for api failed: temporary failure in name resolution (EAI_AGAIN)',
    });
    expect(describeLookupError(nodeError('resolver exploded.', { code: 'EODD' }), 'api')).toEqual({
      reason: 'dns',
      message: 'DNS lookup for api failed: resolver exploded',
    });
  });
});

describe('describeHandshakeError', () => {
  it('says a reset during the handshake is the server hanging up, and names the target when given', () => {
    const reset = nodeError('socket hang up', { code: 'ECONNRESET' });
    expect(describeHandshakeError(reset, '127.0.0.1:6379')).toBe(
      'TLS handshake with 127.0.0.1:6379 failed: connection reset by the server',
    );
    expect(describeHandshakeError(reset)).toBe('TLS handshake failed: connection reset by the server');
  });
});

describe('describeCertificateProblem', () => {
  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'certificate verification failed: self-signed certificate'],
    [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'certificate verification failed: self-signed certificate in the chain (untrusted root)',
    ],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'certificate verification failed: certificate is not valid for shop.example.com'],
    ['CERT_CHAIN_TOO_LONG', 'certificate verification failed: CERT_CHAIN_TOO_LONG'],
  ])('%s', (code, message) => {
    expect(describeCertificateProblem(code, 'shop.example.com')).toBe(message);
  });
});

describe('errorText', () => {
  it("keeps the first line, prefers OpenSSL's reason and is never empty", () => {
    expect(errorText(new Error('Connection is closed.\n    at stack'))).toBe('Connection is closed.');
    const openSsl = Object.assign(new Error('C0:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'), {
      reason: 'wrong version number',
    });
    expect(errorText(openSsl)).toBe('wrong version number');
    expect(errorText({ message: 'plain object' })).toBe('plain object');
    expect(errorText(new Error(''))).toBe('unknown error');
  });
});

describe('errorCode', () => {
  it('survives a cause cycle', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(errorCode(a)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [2000, '2s'],
    [60_000, '60s'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

import { describe, expect, it } from 'vitest';
import { classifyError, errorCode, formatDuration } from '../../../src/probe/errors.js';

function nodeError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('classifyError', () => {
  it.each([
    [nodeError('getaddrinfo ENOTFOUND shop.invalid', { code: 'ENOTFOUND', hostname: 'shop.invalid' }), 'dns', 'DNS lookup for shop.invalid failed: no such host'],
    [nodeError('getaddrinfo EAI_AGAIN api', { code: 'EAI_AGAIN', hostname: 'api' }), 'dns', 'DNS lookup for api failed: temporary failure in name resolution (EAI_AGAIN)'],
    [nodeError('x', { code: 'EAI_NODATA' }), 'dns', 'DNS lookup failed: no address records'],
    [nodeError('connect ECONNREFUSED 127.0.0.1:9', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 }), 'connect', 'connection refused (127.0.0.1:9)'],
    [nodeError('connect ECONNREFUSED ::1:9', { code: 'ECONNREFUSED', address: '::1', port: 9 }), 'connect', 'connection refused ([::1]:9)'],
    [nodeError('read ECONNRESET', { code: 'ECONNRESET' }), 'connect', 'connection reset by peer'],
    [nodeError('x', { code: 'EHOSTUNREACH', address: '10.0.0.1' }), 'connect', 'host unreachable (10.0.0.1)'],
    [nodeError('x', { code: 'ENETUNREACH' }), 'connect', 'network unreachable'],
    [nodeError('write EPIPE', { code: 'EPIPE' }), 'connect', 'connection closed by peer while sending'],
    [nodeError('certificate has expired', { code: 'CERT_HAS_EXPIRED' }), 'tls', 'certificate has expired'],
    [nodeError('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'tls', 'self-signed certificate'],
    [nodeError("Hostname/IP does not match certificate's altnames", { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), 'tls', 'certificate does not match the host name'],
    [nodeError('C0:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure', { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }), 'tls', 'TLS handshake failed: sslv3 alert handshake failure'],
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
    expect(classifyError(new DOMException('signal timed out', 'TimeoutError'))).toMatchObject({ reason: 'timeout', message: 'timed out' });
    expect(classifyError(new Error('fetch failed', { cause: new DOMException('x', 'AbortError') }))).toMatchObject({ reason: 'timeout' });
  });

  it('finds the code on a cause or inside an AggregateError', () => {
    const wrapped = new Error('fetch failed', { cause: nodeError('x', { code: 'ENOTFOUND', hostname: 'a.invalid' }) });
    expect(classifyError(wrapped)).toMatchObject({ reason: 'dns', message: 'DNS lookup for a.invalid failed: no such host' });
    const aggregate = Object.assign(new AggregateError([nodeError('x', { code: 'ECONNREFUSED', address: '::1', port: 80 })], 'all failed'), {
      code: 'ECONNREFUSED',
    });
    expect(classifyError(aggregate)).toMatchObject({ reason: 'connect', message: 'connection refused ([::1]:80)' });
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

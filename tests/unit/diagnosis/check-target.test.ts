// Where a check points, as the diagnosis names it: no credentials, no query string, no password of a connection
// string; the default ports filled in.

import { describe, expect, it } from 'vitest';
import { checkTarget, endpointOf } from '../../../src/diagnosis/evidence/check-target.js';
import type { CheckTarget } from '../../../src/model/diagnosis.js';
import {
  dnsCheck,
  httpCheck,
  postgresCheck,
  redisCheck,
  tcpCheck,
  tlsCheck,
  websocketCheck,
} from '../../helpers/checks.js';

describe('checkTarget', () => {
  it.each([
    [
      'an https URL with user info and a token',
      httpCheck('https://user:pa55word@api.example.com/v1/orders?token=abc123#top'),
      {
        type: 'http',
        host: 'api.example.com',
        port: 443,
        url: 'https://api.example.com/v1/orders',
        serverName: 'api.example.com',
      },
    ],
    [
      'an http URL with a port',
      httpCheck('http://10.0.0.7:8080/health'),
      { type: 'http', host: '10.0.0.7', port: 8080, url: 'http://10.0.0.7:8080/health' },
    ],
    [
      'an IPv6 URL',
      httpCheck('http://[::1]:9470/-/healthy'),
      { type: 'http', host: '::1', port: 9470, url: 'http://[::1]:9470/-/healthy' },
    ],
    [
      'a wss URL',
      websocketCheck('wss://ws.example.com/live?key=k3y'),
      {
        type: 'websocket',
        host: 'ws.example.com',
        port: 443,
        url: 'wss://ws.example.com/live',
        serverName: 'ws.example.com',
      },
    ],
    ['a tcp check', tcpCheck('mail.internal', 25), { type: 'tcp', host: 'mail.internal', port: 25 }],
    [
      'a tcp check over TLS',
      tcpCheck('mail.internal', 465, { tls: true }),
      { type: 'tcp', host: 'mail.internal', port: 465, serverName: 'mail.internal' },
    ],
    [
      'a tls check with a server name',
      tlsCheck('10.0.0.8', 443, { serverName: 'www.example.com' }),
      { type: 'tls', host: '10.0.0.8', port: 443, serverName: 'www.example.com' },
    ],
    [
      'a dns check with a resolver',
      dnsCheck('www.example.com', { recordType: 'AAAA', server: '10.0.0.53:5353' }),
      { type: 'dns', dnsName: 'www.example.com', recordType: 'AAAA', resolver: '10.0.0.53:5353' },
    ],
    [
      'a postgres URL with a password holding URL characters',
      postgresCheck('postgres://app:p@ss/w#rd?@db.internal:6432/orders?sslmode=require'),
      { type: 'postgres', host: 'db.internal', port: 6432, database: 'orders' },
    ],
    [
      'a libpq key/value connection string',
      postgresCheck("host=db.internal dbname=billing password='s3 cret' user=app"),
      { type: 'postgres', host: 'db.internal', port: 5432, database: 'billing' },
    ],
    [
      'a redis URL with a password',
      redisCheck('redis://:r3dis-pw@cache.internal/0'),
      { type: 'redis', host: 'cache.internal', port: 6379 },
    ],
  ] as const)('%s', (_name, check, expected: CheckTarget) => {
    const target = checkTarget(check);
    expect(target).toEqual(expected);
    expect(JSON.stringify(target)).not.toMatch(/pa55word|abc123|k3y|p@ss|s3 cret|r3dis-pw/);
  });
});

describe('endpointOf', () => {
  it.each([
    [{ type: 'tcp', host: 'db', port: 5432 }, 'db:5432'],
    [{ type: 'http', host: '::1', port: 80 }, '[::1]:80'],
    [{ type: 'dns', dnsName: 'example.com' }, undefined],
  ] as const)('%j → %s', (target: CheckTarget, expected) => {
    expect(endpointOf(target)).toBe(expected);
  });
});

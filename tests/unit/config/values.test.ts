// The value formats other modules share with the config: durations, listen addresses, problem lines.

import { describe, expect, it } from 'vitest';

import { formatProblem, parseDuration, parseListenAddress } from '../../../src/config/index.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['1h30m', 5_400_000],
    ['1m30s500ms', 90_500],
    ['2w', 1_209_600_000],
    ['1y', 31_536_000_000],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', '1.5s', '30s1h', '1h1h', '-5s', ' 30s', '5M', '30 s', 'soon'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:9470', { host: '127.0.0.1', port: 9470 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
    [':9470', { host: '0.0.0.0', port: 9470 }],
    ['[::1]:9470', { host: '::1', port: 9470 }],
    ['[::]:0', { host: '::', port: 0 }],
    ['0.0.0.0:65535', { host: '0.0.0.0', port: 65_535 }],
  ])('%s', (text, address) => {
    expect(parseListenAddress(text)).toEqual(address);
  });

  it.each(['9470', 'host:', 'host:65536', '::1:9470', 'a b:1', 'host:-1', 'http://host:1'])('rejects %j', (text) => {
    expect(parseListenAddress(text)).toBeUndefined();
  });
});

describe('formatProblem', () => {
  it('prints FILE:LINE:COL: PATH: message', () => {
    const problem = {
      file: 'config/checks.yml',
      line: 12,
      column: 13,
      path: 'groups[0].checks[2].interval',
      message: 'must be at least 10s, got 5s',
    };
    expect(formatProblem(problem)).toBe(
      'config/checks.yml:12:13: groups[0].checks[2].interval: must be at least 10s, got 5s',
    );
  });
});

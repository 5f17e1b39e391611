// Each broken checks.yml fixture has one concern; the loader must report exactly one problem, at the right file,
// line, column and path, in words that name what is wrong.

import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { fixtureDir, loadDir, problemLines } from './fixtures.js';

interface Case {
  fixture: string;
  /** `LINE:COL: PATH:` after the file name. */
  at: string;
  says: string;
}

const cases: Case[] = [
  { fixture: 'yaml-syntax', at: '6:9: (file):', says: 'YAML syntax error: flow map in block collection' },
  {
    fixture: 'duplicate-key',
    at: '7:9: groups[0].checks[0].interval:',
    says: 'duplicate key `interval` (first defined at BROKEN/duplicate-key/checks.yml:6:9)',
  },
  {
    fixture: 'unknown-key',
    at: '6:9: groups[0].checks[0].intervall:',
    says: 'unknown key `intervall` (allowed: id, name, type, component, service, enabled, interval, timeout,',
  },
  {
    fixture: 'wrong-type',
    at: '6:28: groups[0].checks[0].failure_threshold:',
    says: 'must be a whole number, got `three`',
  },
  { fixture: 'missing-id', at: '6:9: groups[0].checks[1]:', says: 'missing required key `id`' },
  {
    fixture: 'bad-id-pattern',
    at: '4:13: groups[0].checks[0].id:',
    says: 'must use only lower-case letters, digits and underscores',
  },
  {
    fixture: 'duplicate-id',
    at: '8:13: groups[1].checks[0].id:',
    says: 'duplicate check id `api_root` (first defined at BROKEN/duplicate-id/checks.yml:4:13)',
  },
  { fixture: 'interval-too-short', at: '6:19: groups[0].checks[0].interval:', says: 'must be at least 10s, got 5s' },
  {
    fixture: 'timeout-not-below-interval',
    at: '7:18: groups[0].checks[0].timeout:',
    says: 'must be less than the interval (30s), got 30s',
  },
  {
    fixture: 'inherited-timeout',
    at: '3:14: groups[0].timeout:',
    says: 'must be less than the interval of check `api_root` (15s), got 20s',
  },
  { fixture: 'timeout-too-long', at: '7:18: groups[0].checks[0].timeout:', says: 'must be at most 60s, got 90s' },
  {
    fixture: 'bad-duration',
    at: '6:19: groups[0].checks[0].interval:',
    says: 'must be a duration like 30s, 5m or 1h30m, got `30 seconds`',
  },
  {
    fixture: 'missing-variable',
    at: '6:16: groups[0].checks[0].endpoint.url:',
    says: 'environment variable API_BASE_URL is not set and has no default',
  },
  {
    fixture: 'malformed-template',
    at: '4:12: checks[0].endpoint.url:',
    says: '`{{ not a variable }}` is not a template',
  },
  { fixture: 'unquoted-template', at: '4:30: (file):', says: 'quote a value that starts with `{{`' },
  {
    fixture: 'bad-regex',
    at: '8:27: groups[0].checks[0].validation.headers.content-type:',
    says: 'is not a valid regular expression: Unterminated group',
  },
  {
    fixture: 'http-without-endpoint',
    at: '4:9: groups[0].checks[0]:',
    says: 'missing `endpoint`: an http check needs `endpoint:` with at least `url:`',
  },
  {
    fixture: 'tcp-target-without-port',
    at: '6:17: groups[0].checks[0].target:',
    says: 'must be host:port, e.g. mail.example.com:25, got `mail.example.com`',
  },
  { fixture: 'websocket-target-scheme', at: '4:13: checks[0].target:', says: 'must be a ws:// or wss:// URL' },
  {
    fixture: 'url-scheme',
    at: '3:21: checks[0].endpoint.url:',
    says: 'must be an http:// or https:// URL, got `ftp://example.com/`',
  },
  {
    fixture: 'option-of-other-type',
    at: '7:16: groups[0].checks[0].query:',
    says: '`query` is not an option of a redis check',
  },
  {
    fixture: 'unknown-type',
    at: '3:11: checks[0].type:',
    says: 'must be one of http, tcp, dns, tls, websocket, postgres, redis, push; got `htp`',
  },
  {
    fixture: 'performance-out-of-order',
    at: '6:58: groups[0].checks[0].performance.warn_threshold_ms:',
    says: 'must be at least target_ms (500), got 300',
  },
  {
    fixture: 'status-code-out-of-range',
    at: '7:24: groups[0].checks[0].validation.status_code:',
    says: 'must be at most 599, got 700',
  },
  {
    fixture: 'status-code-list-out-of-range',
    at: '7:35: groups[0].checks[0].validation.status_code[2]:',
    says: 'must be at most 599, got 999',
  },
  {
    fixture: 'body-size-too-small',
    at: '3:61: checks[0].endpoint.max_body_bytes:',
    says: 'must be at least 1KiB, got 100',
  },
  { fixture: 'no-checks', at: '2:1: (file):', says: 'defines no checks' },
  { fixture: 'no-checks-file', at: '1:1: (file):', says: 'file not found' },
];

const BROKEN = fixtureDir('broken');

describe('broken checks.yml', () => {
  it.each(cases)('$fixture: one problem at $at', ({ fixture, at, says }) => {
    const dir = path.join(BROKEN, fixture);
    const lines = problemLines(loadDir(dir));

    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line.startsWith(`${path.join(dir, 'checks.yml')}:${at} `)).toBe(true);
    expect(line).toContain(says.replaceAll('BROKEN', BROKEN));
  });

  it('reports every problem of a file at once, in file order', () => {
    const dir = path.join(BROKEN, 'many-problems');
    const file = path.join(dir, 'checks.yml');

    const prefixes = problemLines(loadDir(dir)).map((line) => `${line.split(': ').slice(0, 2).join(': ')}:`);

    expect(prefixes).toEqual([
      `${file}:2:13: defaults.interval:`,
      `${file}:8:9: groups[0].checks[0].intervall:`,
      `${file}:9:13: groups[0].checks[1].id:`,
      `${file}:12:16: groups[0].checks[1].query:`,
      `${file}:15:17: groups[0].checks[2].target:`,
      `${file}:16:18: groups[0].checks[2].timeout:`,
      `${file}:20:12: checks[0].endpoint.url:`,
      `${file}:21:31: checks[0].validation.status_code:`,
      `${file}:21:51: checks[0].validation.body.matches:`,
    ]);
  });

  it('never prints a value that came from the environment', () => {
    const lines = problemLines(
      loadDir(path.join(BROKEN, 'missing-variable'), { API_BASE_URL: 'ftp://user:hunter2@host' }),
    );

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('must be an http:// or https:// URL, got a value from the environment (not shown)');
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});

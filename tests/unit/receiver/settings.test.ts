// config.yml `receiver:` and `alertmanager:`: defaults, durations and sizes, auth resolved from the environment, and
// problems reported at the setting when an auth mode lacks its credentials.

import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfig } from '../../../src/config/index.js';
import { writeConfigDir } from '../config/fixtures.js';

const CHECKS = 'checks:\n  - {id: api_root, endpoint: {url: "http://127.0.0.1:9/"}}\n';

function load(configYml: string | undefined, env: Record<string, string> = {}) {
  const { dir, remove } = writeConfigDir({
    'checks.yml': CHECKS,
    ...(configYml === undefined ? {} : { 'config.yml': configYml }),
  });
  try {
    return loadConfig({ configDir: dir, env });
  } finally {
    remove();
  }
}

function settings(configYml: string | undefined, env: Record<string, string> = {}) {
  const result = load(configYml, env);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.config.settings;
}

describe('receiver and alertmanager settings', () => {
  it('has sensible defaults: open webhook, 1 MiB, 5m window, 24h TTL, no silences', () => {
    const { receiver, alertmanager } = settings(undefined);
    expect(receiver).toEqual({
      bodyLimitBytes: 1_048_576,
      dedupWindowMs: 300_000,
      alertTtlMs: 86_400_000,
      auth: 'none',
    });
    expect(alertmanager).toEqual({ timeoutMs: 10_000 });
  });

  it('turns on bearer auth when VIGIL_WEBHOOK_TOKEN is set, and takes ALERTMANAGER_URL', () => {
    const { receiver, alertmanager } = settings(undefined, {
      VIGIL_WEBHOOK_TOKEN: 't',
      ALERTMANAGER_URL: 'http://am:9093/',
    });
    expect(receiver.auth).toBe('bearer');
    expect(alertmanager.url).toBe('http://am:9093');
  });

  it('reads every setting as written, templates included', () => {
    const yml = [
      'receiver:',
      '  body_limit: 256KiB',
      '  dedup_window: 90s',
      '  alert_ttl: 2h',
      '  auth: basic',
      '  status_page_url: https://status.example.com',
      '  prometheus_url: http://prometheus:9090',
      'alertmanager: {url: "{{ ALERTMANAGER_URL }}", timeout: 3s}',
      '',
    ].join('\n');
    const env = { VIGIL_WEBHOOK_USER: 'am', VIGIL_WEBHOOK_PASSWORD: 'pw', ALERTMANAGER_URL: 'http://am:9093' };
    expect(settings(yml, env)).toMatchObject({
      receiver: {
        bodyLimitBytes: 262_144,
        dedupWindowMs: 90_000,
        alertTtlMs: 7_200_000,
        auth: 'basic',
        statusPageUrl: 'https://status.example.com',
        prometheusUrl: 'http://prometheus:9090',
      },
      alertmanager: { url: 'http://am:9093', timeoutMs: 3_000 },
    });
  });

  it('reports an auth mode without its credentials, and bad values, at the setting', () => {
    const yml = 'receiver:\n  auth: basic\n  body_limit: 100\n  alert_ttl: 10s\nalertmanager:\n  url: ftp://am\n';
    const result = load(yml, { VIGIL_WEBHOOK_USER: 'am' });
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.problems.map((problem) => `${problem.path}: ${problem.message}`);
    expect(lines).toEqual([
      'receiver.auth: is basic, but VIGIL_WEBHOOK_PASSWORD is not set in the environment',
      'receiver.body_limit: must be at least 1KiB, got 100',
      'receiver.alert_ttl: must be at least 1m, got 10s',
      'alertmanager.url: must be an http:// or https:// URL, e.g. "{{ ALERTMANAGER_URL }}", got `ftp://am`',
    ]);
  });

  it('names the missing token for bearer auth', () => {
    const result = load('receiver: {auth: bearer}\n');
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /config\.yml:1:\d+: receiver\.auth: is bearer, but VIGIL_WEBHOOK_TOKEN is not set in the environment$/,
      ),
    ]);
  });
});

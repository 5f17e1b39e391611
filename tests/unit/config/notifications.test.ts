// config.yml `notifications:`: the routes, policies and recipients a valid file gives, the seeds without routes, and
// every broken fixture's problems at FILE:LINE:COL: PATH:, worded for the user.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseMatcher } from '../../../src/config/label-matcher.js';
import { E164_PATTERN } from '../../../src/config/schema/settings/notifications.js';
import { validateE164 } from '../../../src/notify/sms/e164.js';
import { fixtureDir, loadDir, loadedConfig, problemLines, writeConfigDir } from './fixtures.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('a valid notifications section', () => {
  const { notifications } = loadedConfig(loadDir(fixtureDir('notifications/valid'))).settings;

  it('gives the routes in order, `match` as equality matchers before `matchers`, targets with their recipients', () => {
    expect(notifications.seeded).toBe(false);
    expect(notifications.routes).toEqual([
      {
        source: 'notifications.routes[0]',
        matchers: [
          { name: 'component', operator: '=', value: 'db' },
          { name: 'alertname', operator: '=~', value: 'Postgres.*' },
          { name: 'team', operator: '!=', value: 'dba' },
        ],
        targets: [{ channel: 'sms', recipients: ['+14155550100'] }, { channel: 'slack' }],
        continue: true,
        reminderIntervalMs: 4 * 60 * MINUTE,
      },
      {
        source: 'notifications.routes[1]',
        matchers: [{ name: 'severity', operator: '=', value: 'critical' }],
        targets: [{ channel: 'email' }, { channel: 'webhook' }],
        continue: false,
      },
      {
        source: 'notifications.routes[2]',
        matchers: [{ name: 'severity', operator: '=', value: 'info' }],
        targets: [],
        continue: false,
      },
    ]);
  });

  it('gives each channel its policy: its own values over the section backoff over the defaults', () => {
    expect(notifications.leaseMs).toBe(2 * MINUTE);
    expect(notifications.policies['email']).toEqual({
      maxAttempts: 5,
      maxAgeMs: 24 * 60 * MINUTE,
      timeoutMs: 20 * SECOND,
      concurrency: 4,
      initialBackoffMs: 2 * SECOND,
      maxBackoffMs: 10 * MINUTE,
    });
    expect(notifications.policies['sms']).toMatchObject({ initialBackoffMs: 5 * SECOND, maxBackoffMs: 10 * MINUTE });
    expect(notifications.policies['slack']).toEqual(notifications.defaultPolicy);
    expect(notifications.recipients).toEqual({
      email: ['oncall@example.com'],
      sms: ['+14155550199'],
      slack: [],
      webhook: [],
      console: [],
    });
  });
});

describe('without a notifications section', () => {
  const { notifications } = loadedConfig(loadDir(fixtureDir('valid/flat'))).settings;

  it('routes by severity with the seeds: critical → email, sms, slack; warning → slack, email; info → email', () => {
    expect(notifications.seeded).toBe(true);
    expect(
      notifications.routes.map((route) => [route.source, route.matchers, route.targets.map((t) => t.channel)]),
    ).toEqual([
      ['seed: critical', [{ name: 'severity', operator: '=', value: 'critical' }], ['email', 'sms', 'slack']],
      ['seed: warning', [{ name: 'severity', operator: '=', value: 'warning' }], ['slack', 'email']],
      ['seed: info', [{ name: 'severity', operator: '=', value: 'info' }], ['email']],
    ]);
  });

  it('has the defaults a Prometheus user expects', () => {
    expect(notifications.defaultPolicy).toEqual({
      maxAttempts: 10,
      maxAgeMs: 24 * 60 * MINUTE,
      timeoutMs: 30 * SECOND,
      concurrency: 4,
      initialBackoffMs: SECOND,
      maxBackoffMs: 5 * MINUTE,
    });
    expect(notifications.leaseMs).toBe(MINUTE);
  });

  it('keeps a channel without a timeout inside a short lease: half the lease', () => {
    const checks = 'checks:\n  - {id: web, type: http, endpoint: {url: "http://127.0.0.1/"}}\n';
    const { dir, remove } = writeConfigDir({
      'checks.yml': checks,
      'config.yml': 'notifications:\n  lease: 10s\n  channels:\n    slack: {timeout: 8s}\n',
    });
    try {
      const short = loadedConfig(loadDir(dir)).settings.notifications;
      expect(short.policies['slack']?.timeoutMs).toBe(8 * SECOND);
      expect(short.policies['email']?.timeoutMs).toBe(5 * SECOND);
      expect(short.defaultPolicy.timeoutMs).toBe(5 * SECOND);
    } finally {
      remove();
    }
  });
});

const cases = [
  {
    fixture: 'broken-values',
    problems: [
      '3:18: notifications.routes[0].matchers[0]: is not a valid regular expression: Unterminated group',
      '3:45: notifications.routes[0].matchers[1]: is not a matcher like name="value" (operators =, !=, =~, !~)',
      '3:53: notifications.routes[0].matchers[2]: `9x` is not a label name',
      '3:63: notifications.routes[0].matchers[3]: has a quoted value without its closing quote',
      '4:15: notifications.routes[0].match.bad-label: `bad-label` is not a label name',
      '5:18: notifications.routes[0].channels.telegram: unknown key `telegram` (allowed: email, sms, slack, webhook, console)',
      '5:52: notifications.routes[0].channels.slack.recipients: slack takes no options on a route (recipients are for email and sms)',
      '5:83: notifications.routes[0].channels.email.recipients[0]: must be an email address like oncall@example.com, got `not-an-address`',
      '6:26: notifications.routes[0].reminder_interval: must be at least 1m, got 10s',
      '7:17: notifications.routes[0].continue: must be true or false, got `maybe`',
      '8:37: notifications.routes[1].channels.sms.recipients[0]: must be an E.164 phone number like +14155550100, got `+0123`',
      '8:46: notifications.routes[1].channels.sms.recipients[1]: must be an E.164 phone number like +14155550100, got `555-0100`',
      '8:69: notifications.routes[1].channels.console: must be `{}`, got a list',
      '10:27: notifications.channels.email.max_attempts: must be at least 1, got 0',
      '10:39: notifications.channels.email.max_age: must be at most 30d, got 40d',
      '10:53: notifications.channels.email.timeout: must be shorter than the lease (60s), got 90s',
      '10:71: notifications.channels.email.concurrency: must be at most 64, got 100',
      '11:40: notifications.channels.sms.backoff.max: must be at least the initial backoff (10m), got 1m',
      '12:5: notifications.channels.pagerduty: unknown key `pagerduty` (allowed: email, sms, slack, webhook, console)',
    ],
  },
  {
    fixture: 'broken-lease',
    problems: [
      '3:42: notifications.channels.slack.backoff.max: must be at least 1s, got 500ms',
      '3:42: notifications.channels.slack.backoff.max: must be at least the initial backoff (10m), got 500ms',
      '5:22: notifications.backoff.initial: must be at most the longest backoff (5m), got 10m',
    ],
  },
];

describe.each(cases)('notifications/$fixture', ({ fixture, problems }) => {
  it('reports each problem where it was written', () => {
    const dir = fixtureDir(`notifications/${fixture}`);
    const file = path.join(dir, 'config.yml');
    expect(problemLines(loadDir(dir))).toEqual(problems.map((problem) => `${file}:${problem}`));
  });
});

describe('the E.164 rule of config.yml', () => {
  it.each(['+14155550100', '+442071838750', '+123', '+0123', '555-0100', '+1 415 555 0100', '+1234567890123456', ''])(
    'agrees with the SMS channel on %j',
    (number) => {
      expect(new RegExp(E164_PATTERN).test(number)).toBe(validateE164(number).ok);
    },
  );
});

describe('the commented example in the shipped config.yml', () => {
  it('loads once uncommented', () => {
    const shipped = readFileSync(new URL('../../../config/config.yml', import.meta.url), 'utf8').split('\n');
    const start = shipped.indexOf('# notifications:');
    const example = shipped
      .slice(start)
      .filter((line) => line.startsWith('#'))
      .map((line) => line.replace(/^# ?/, ''));
    const { dir, remove } = writeConfigDir({
      'checks.yml': readFileSync(path.join(fixtureDir('notifications/valid'), 'checks.yml'), 'utf8'),
      'config.yml': example.join('\n'),
    });
    try {
      const { notifications } = loadedConfig(loadDir(dir)).settings;
      expect(notifications.routes.map((route) => route.source)).toEqual([
        'notifications.routes[0]',
        'notifications.routes[1]',
        'notifications.routes[2]',
      ]);
    } finally {
      remove();
    }
  });
});

describe('parseMatcher', () => {
  it.each([
    ['team="db"', { name: 'team', operator: '=', value: 'db' }],
    ['team != "db"', { name: 'team', operator: '!=', value: 'db' }],
    ['team=db', { name: 'team', operator: '=', value: 'db' }],
    ['note="say \\"hi\\" \\\\ bye"', { name: 'note', operator: '=', value: 'say "hi" \\ bye' }],
    ['alertname=~"Service.*"', { name: 'alertname', operator: '=~', value: 'Service.*' }],
    ['alertname!~""', { name: 'alertname', operator: '!~', value: '' }],
  ])('%s', (text, matcher) => {
    expect(parseMatcher(text)).toEqual({ ok: true, matcher });
  });
});

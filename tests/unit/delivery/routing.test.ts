// Routing: which destinations an alert group's labels reach, as tables of labels → destinations. Settings come from
// config.yml-shaped data through the config's own normaliser, channels from an environment through the real
// registry, so each case reads as a user would set it up.

import { describe, expect, it } from 'vitest';

import type { RawConfigFile } from '../../../src/config/schema/config.js';
import { normalizeNotifications } from '../../../src/config/normalize-notifications.js';
import { channelRegistryFromEnv } from '../../../src/delivery/channel-registry.js';
import { destinationsFor, matchingRoutes, type RoutedDestination } from '../../../src/delivery/routing.js';
import { createLogger } from '../../../src/log.js';

type Labels = Record<string, string>;
type Env = Record<string, string>;

const EVERY_CHANNEL: Env = {
  SMTP_HOST: 'smtp.example.com',
  ALERT_EMAIL_RECIPIENTS: 'oncall@example.com, ops@example.com',
  TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM_NUMBER: '+14155550000',
  ALERT_SMS_RECIPIENTS: '+14155550100',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
  ALERT_WEBHOOK_URL: 'https://hooks.example.com/vigil',
};

const logger = createLogger('silent');

function route(labels: Labels, notifications: RawConfigFile['notifications'], env: Env): RoutedDestination[] {
  const settings = normalizeNotifications(notifications);
  return destinationsFor(labels, settings, channelRegistryFromEnv(env, settings, { logger }));
}

/** `email:oncall@example.com`; an unconfigured destination as `!sms`. */
function short(destination: RoutedDestination): string {
  const recipient = destination.recipient === undefined ? '' : `:${destination.recipient}`;
  return `${destination.state === 'unconfigured' ? '!' : ''}${destination.channel}${recipient}`;
}

const EMAIL = ['email:oncall@example.com', 'email:ops@example.com'];

describe('the seeds (config.yml sets no routes), every channel configured', () => {
  it.each<[string, Labels, string[]]>([
    ['critical → email, sms, slack', { severity: 'critical' }, [...EMAIL, 'sms:+14155550100', 'slack']],
    ['warning → slack, email', { severity: 'warning' }, ['slack', ...EMAIL]],
    ['info → email', { severity: 'info' }, EMAIL],
    ['another severity goes nowhere', { severity: 'page' }, []],
    ['no severity goes nowhere', { alertname: 'Watchdog' }, []],
  ])('%s', (_, labels, expected) => {
    expect(route(labels, undefined, EVERY_CHANNEL).map(short)).toEqual(expected);
  });

  it('names the seed that reached each destination', () => {
    expect(route({ severity: 'warning' }, undefined, EVERY_CHANNEL).map((d) => d.route)).toEqual([
      'seed: warning',
      'seed: warning',
      'seed: warning',
    ]);
  });
});

const DATABASE_FIRST: RawConfigFile['notifications'] = {
  routes: [
    { match: { component: 'db' }, channels: { sms: { recipients: ['+14155550199'] } } },
    { match: { severity: 'critical' }, channels: { email: {}, slack: null } },
  ],
};

const DATABASE_ALSO: RawConfigFile['notifications'] = {
  routes: [
    {
      match: { component: 'db' },
      channels: { sms: { recipients: ['+14155550199'] }, slack: {} },
      continue: true,
      reminder_interval: '4h',
    },
    { match: { severity: 'critical' }, channels: { email: {}, slack: {} } },
  ],
};

describe('routes of config.yml', () => {
  it.each<[string, RawConfigFile['notifications'], Labels, string[]]>([
    [
      'a component=db route before the severity route wins alone',
      DATABASE_FIRST,
      { component: 'db', severity: 'critical' },
      ['sms:+14155550199'],
    ],
    [
      'a group the first route does not match falls through to the next',
      DATABASE_FIRST,
      { component: 'api', severity: 'critical' },
      [...EMAIL, 'slack'],
    ],
    [
      'continue: true goes on to the next matching route; slack reached twice is listed once',
      DATABASE_ALSO,
      { component: 'db', severity: 'critical' },
      ['sms:+14155550199', 'slack', ...EMAIL],
    ],
    ['a route without channels stops the group there', { routes: [{}, { channels: { slack: {} } }] }, {}, []],
    ['`routes: []` sends nothing', { routes: [] }, { severity: 'critical' }, []],
  ])('%s', (_, notifications, labels, expected) => {
    expect(route(labels, notifications, EVERY_CHANNEL).map(short)).toEqual(expected);
  });

  it('keeps the first route and its reminder interval for a destination two routes reach', () => {
    const slack = route({ component: 'db', severity: 'critical' }, DATABASE_ALSO, EVERY_CHANNEL).find(
      (destination) => destination.channel === 'slack',
    );
    expect(slack).toEqual({
      channel: 'slack',
      state: 'pending',
      route: 'notifications.routes[0]',
      reminderIntervalMs: 4 * 3_600_000,
    });
  });

  it('sends email and SMS to the route’s recipients, else to config.yml’s list and the environment’s', () => {
    const notifications = {
      routes: [{ channels: { email: {}, sms: {} } }],
      channels: { email: { recipients: ['lead@example.com', 'ops@example.com'] } },
    };
    expect(route({}, notifications, EVERY_CHANNEL).map(short)).toEqual([
      'email:lead@example.com',
      'email:ops@example.com',
      'email:oncall@example.com',
      'sms:+14155550100',
    ]);
  });
});

describe('matchers', () => {
  const labels = { alertname: 'ServiceDown', severity: 'critical', team: 'web' };
  it.each<[string, boolean]>([
    ['alertname="ServiceDown"', true],
    ['alertname!="ServiceDown"', false],
    ['alertname=~"Service.*"', true],
    ['alertname=~"Service"', false],
    ['alertname=~"Down"', false],
    ['alertname!~"Watchdog|InfoInhibitor"', true],
    ['severity=~"critical|warning"', true],
    ['team!="db"', true],
    ['owner!="db"', true],
    ['owner=""', true],
    ['owner=~".*"', true],
    ['owner=~".+"', false],
    ['owner!~".+"', true],
    ['owner="db"', false],
  ])('%s → %s (an absent label is "", regular expressions match the whole value)', (matcher, matched) => {
    const settings = normalizeNotifications({ routes: [{ matchers: [matcher], channels: { slack: {} } }] });
    expect(matchingRoutes(labels, settings.routes).length).toBe(matched ? 1 : 0);
  });
});

describe('channels without credentials', () => {
  const withoutSms = Object.fromEntries(Object.entries(EVERY_CHANNEL).filter(([name]) => !name.startsWith('TWILIO')));

  it('are one unconfigured destination each; the others still deliver', () => {
    expect(route({ severity: 'critical' }, undefined, withoutSms).map(short)).toEqual([...EMAIL, '!sms', 'slack']);
  });

  it('email with nobody to send to is unconfigured too', () => {
    const noRecipients = { ...EVERY_CHANNEL, ALERT_EMAIL_RECIPIENTS: '' };
    expect(route({ severity: 'info' }, undefined, noRecipients)).toEqual([
      {
        channel: 'email',
        state: 'unconfigured',
        route: 'seed: info',
        reason: 'no recipients: set ALERT_EMAIL_RECIPIENTS or notifications.channels.email.recipients',
      },
    ]);
  });

  it('with nothing but the console configured, a routed group also goes to the console', () => {
    expect(route({ severity: 'critical' }, undefined, {})).toEqual([
      { channel: 'email', state: 'unconfigured', route: 'seed: critical', reason: 'set SMTP_HOST' },
      {
        channel: 'sms',
        state: 'unconfigured',
        route: 'seed: critical',
        reason: 'set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER',
      },
      { channel: 'slack', state: 'unconfigured', route: 'seed: critical', reason: 'set SLACK_WEBHOOK_URL' },
      { channel: 'console', state: 'pending', route: 'fallback: console' },
    ]);
  });

  it('a group no route matches goes nowhere, not even to the console', () => {
    expect(route({ severity: 'page' }, undefined, {})).toEqual([]);
  });

  it('a route to the console itself is not doubled by the fallback', () => {
    const notifications = { routes: [{ channels: { console: {}, slack: {} } }] };
    expect(route({}, notifications, {}).map(short)).toEqual(['console', '!slack']);
  });
});

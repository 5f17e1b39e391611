// config.yml `notifications:` who hears of an alert group and how hard the outbox tries each channel. Routes match a
// group's labels (Alertmanager's matcher operators) and name channels, optionally with their own recipients; the
// first matching route wins unless it says `continue: true`. Without `routes` the seeds apply (critical → email, sms,
// slack; warning → slack, email; info → email). Credentials never live here: each channel reads them from the
// environment (README "Notifications").
//
//   notifications:
//     routes:
//       - match: {component: db}
//         matchers: ['alertname=~"Postgres.*"']
//         channels: {sms: {recipients: ["+14155550100"]}, slack: {}}
//     channels:
//       email: {recipients: [oncall@example.com], max_attempts: 10, max_age: 24h, timeout: 30s, concurrency: 4}
//     lease: 60s
//     backoff: {initial: 1s, max: 5m}

import { Type, type TString } from '@sinclair/typebox';

import { Duration, Forbidden, NonEmptyString, Strict, StringMap } from '../common.js';

/** The channels routes may name. CONTRACT section 7 lists more (telegram, discord, pagerduty, teams): not built yet. */
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'slack', 'webhook', 'console'] as const;
export type ChannelName = (typeof NOTIFICATION_CHANNELS)[number];

/** Channels that send one message per recipient; the others have a single destination (a webhook, the console). */
export const RECIPIENT_CHANNELS: readonly ChannelName[] = ['email', 'sms'];

/** The outbox's defaults per channel, as a Prometheus user would expect of a notifier. */
export const CHANNEL_DEFAULTS = { max_attempts: 10, max_age: '24h', timeout: '30s', concurrency: 4 } as const;
export const BACKOFF_DEFAULTS = { initial: '1s', max: '5m' } as const;
export const LEASE_DEFAULT = '60s';

/**
 * "+", a country code without a leading 0, up to 15 digits in all: the rule of notify/sms/e164.ts (config may not
 * import the channels), written here so an editor flags a bad number too; a test keeps the two in step.
 */
export const E164_PATTERN = String.raw`^\+[1-9]\d{1,14}$`;

const EmailAddress = Type.String({
  pattern: String.raw`^[^@\s]+@[^@\s]+$`,
  patternErrorMessage: 'must be an email address like oncall@example.com',
});

const PhoneNumber = Type.String({
  pattern: E164_PATTERN,
  patternErrorMessage: 'must be an E.164 phone number like +14155550100',
});

const Backoff = Strict(
  {
    initial: Type.Optional(
      Duration(
        { min: '100ms', max: '1h' },
        { default: BACKOFF_DEFAULTS.initial, description: 'Longest wait before the second attempt (100ms to 1h).' },
      ),
    ),
    max: Type.Optional(
      Duration(
        { min: '1s', max: '24h' },
        { default: BACKOFF_DEFAULTS.max, description: 'Longest wait between any two attempts (1s to 24h).' },
      ),
    ),
  },
  {
    description:
      'Waits between attempts: a random time up to min(max, initial × 2^(attempt−1)) ("full jitter"), so many ' +
      'jobs failing at once do not retry in step.',
  },
);

/** One channel's outbox policy. */
const policy = {
  max_attempts: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100,
      default: CHANNEL_DEFAULTS.max_attempts,
      description: 'Attempts at most before a message is given up as dead (1 to 100).',
    }),
  ),
  max_age: Type.Optional(
    Duration(
      { min: '1m', max: '30d' },
      {
        default: CHANNEL_DEFAULTS.max_age,
        description: 'A message not sent this long after the webhook was accepted is dead (1m to 30d).',
      },
    ),
  ),
  timeout: Type.Optional(
    Duration(
      { min: '1s', max: '5m' },
      {
        default: CHANNEL_DEFAULTS.timeout,
        description: 'One attempt at most; must be shorter than `lease` (1s to 5m).',
      },
    ),
  ),
  concurrency: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 64,
      default: CHANNEL_DEFAULTS.concurrency,
      description: 'Messages of this channel in flight at once (1 to 64).',
    }),
  ),
  backoff: Type.Optional(Backoff),
};

const PolicyOnly = (name: ChannelName) =>
  Type.Optional(Strict(policy, { description: `The ${name} channel's outbox policy.` }));

/** Email and SMS: the recipients every route reaches by default, and the outbox policy. */
const WithRecipients = (name: ChannelName, recipient: TString) =>
  Type.Optional(
    Strict(
      {
        recipients: Type.Optional(
          Type.Array(recipient, {
            uniqueItems: true,
            description: `Who gets ${name} by default; the environment's list (README "Notifications") adds to it.`,
          }),
        ),
        ...policy,
      },
      { description: `The ${name} channel's default recipients and outbox policy.` },
    ),
  );

/** A route's email or SMS: `{}` for the channel's own recipients, or the route's. */
const TargetWithRecipients = (name: ChannelName, recipient: TString) =>
  Type.Optional(
    Type.Union(
      [
        Strict(
          {
            recipients: Type.Optional(
              Type.Array(recipient, {
                uniqueItems: true,
                minItems: 1,
                description: `Who gets ${name} from this route, instead of the channel's list.`,
              }),
            ),
          },
          { description: `Send to ${name}; \`{}\` for the channel's own recipients.` },
        ),
        Type.Null(),
      ],
      { errorMessage: "must be a mapping (`{}` for the channel's own recipients)" },
    ),
  );

/** A route's Slack, webhook or console: they have one destination each, so nothing to say but `{}`. */
const Target = (name: ChannelName) =>
  Type.Optional(
    Type.Union(
      [
        Type.Object(
          {},
          {
            additionalProperties: Forbidden(`${name} takes no options on a route (recipients are for email and sms)`),
            description: `Send to ${name}: \`{}\`.`,
          },
        ),
        Type.Null(),
      ],
      { errorMessage: 'must be `{}`' },
    ),
  );

const Route = Strict(
  {
    match: Type.Optional(
      StringMap(Type.String(), {
        description: 'Labels that must equal these values (an absent label equals ""). Example: {severity: critical}',
      }),
    ),
    matchers: Type.Optional(
      Type.Array(NonEmptyString(), {
        description:
          'Alertmanager matchers, all of which must hold: name="value", !=, =~ and !~ (regular expressions match ' +
          'the whole value). Example: [\'alertname=~"Service.*"\', \'team!="db"\']',
      }),
    ),
    channels: Type.Optional(
      Strict(
        {
          email: TargetWithRecipients('email', EmailAddress),
          sms: TargetWithRecipients('sms', PhoneNumber),
          slack: Target('slack'),
          webhook: Target('webhook'),
          console: Target('console'),
        },
        { description: 'Where a matching group goes; none: it goes nowhere (and, without `continue`, stops here).' },
      ),
    ),
    continue: Type.Optional(
      Type.Boolean({ default: false, description: 'Also try the routes after this one when it matches.' }),
    ),
    reminder_interval: Type.Optional(
      Duration(
        { min: '1m', max: '30d' },
        { description: 'Send again this often while the group keeps firing the same alerts (1m to 30d).' },
      ),
    ),
  },
  { description: 'One route: a group whose labels match every `match` and `matchers` entry goes to `channels`.' },
);

export const NotificationsSection = Strict(
  {
    routes: Type.Optional(
      Type.Array(Route, {
        description:
          'Tried in order; the first match wins unless it has `continue: true`. A group no route matches is not ' +
          'sent. Absent: critical → email, sms, slack; warning → slack, email; info → email. `[]`: nothing is sent.',
      }),
    ),
    channels: Type.Optional(
      Strict(
        {
          email: WithRecipients('email', EmailAddress),
          sms: WithRecipients('sms', PhoneNumber),
          slack: PolicyOnly('slack'),
          webhook: PolicyOnly('webhook'),
          console: PolicyOnly('console'),
        },
        { description: 'Per channel: default recipients and the outbox policy.' },
      ),
    ),
    lease: Type.Optional(
      Duration(
        { min: '10s', max: '1h' },
        {
          default: LEASE_DEFAULT,
          description:
            'How long a worker holds a message before another may take it over; longer than every timeout (10s to 1h).',
        },
      ),
    ),
    backoff: Type.Optional(Backoff),
  },
  { description: 'Who hears of an alert group, and how the outbox retries. Credentials come from the environment.' },
);

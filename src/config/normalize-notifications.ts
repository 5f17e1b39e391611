// config.yml `notifications:`: the rules its schema cannot express (matcher strings and their regular expressions,
// label names, backoff bounds in order, a lease longer than every timeout) and the normalised NotificationSettings,
// with the seed routes when config.yml sets none.

import type { ChannelPolicy, LabelMatcher, NotificationSettings, Route } from '../model/routing.js';
import { isMapping, type Mapping } from './check-entries.js';
import { parseDuration } from './duration.js';
import { LABEL_NAME, parseMatcher } from './label-matcher.js';
import { childPointer } from './pointer.js';
import type { RawConfigFile } from './schema/config.js';
import {
  BACKOFF_DEFAULTS,
  CHANNEL_DEFAULTS,
  LEASE_DEFAULT,
  NOTIFICATION_CHANNELS,
  type ChannelName,
} from './schema/settings/notifications.js';
import type { ConfigProblem } from './types.js';
import type { ConfigDocument } from './yaml-document.js';

type RawNotifications = NonNullable<RawConfigFile['notifications']>;
type RawRoute = NonNullable<RawNotifications['routes']>[number];
type RawBackoff = RawNotifications['backoff'];

const POINTER = '/notifications';

/** Routes when config.yml has none: the most urgent severity reaches the most channels. */
const SEEDS: ReadonlyArray<{ severity: string; channels: ChannelName[] }> = [
  { severity: 'critical', channels: ['email', 'sms', 'slack'] },
  { severity: 'warning', channels: ['slack', 'email'] },
  { severity: 'info', channels: ['email'] },
];

export function notificationRules(document: ConfigDocument): ConfigProblem[] {
  const root = isMapping(document.value) ? document.value : {};
  const section = root['notifications'];
  if (!isMapping(section)) return [];
  const routes = Array.isArray(section['routes']) ? (section['routes'] as unknown[]) : [];
  return [
    ...routes.flatMap((route, index) =>
      isMapping(route) ? routeProblems(document, childPointer(`${POINTER}/routes`, index), route) : [],
    ),
    ...backoffProblems(document, section),
    ...leaseProblems(document, section),
  ];
}

function routeProblems(document: ConfigDocument, pointer: string, route: Mapping): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (isMapping(route['match'])) {
    for (const name of Object.keys(route['match'])) {
      if (!LABEL_NAME.test(name))
        problems.push(
          document.problem(childPointer(`${pointer}/match`, name), `\`${name}\` is not a label name`, 'key'),
        );
    }
  }
  if (Array.isArray(route['matchers'])) {
    route['matchers'].forEach((text: unknown, index) => {
      if (typeof text !== 'string') return;
      const parsed = parseMatcher(text);
      if (!parsed.ok) problems.push(document.problem(childPointer(`${pointer}/matchers`, index), parsed.reason));
    });
  }
  return problems;
}

/** The duration written at `key` of `mapping`, when it is one: the text for messages and its milliseconds. */
function durationAt(mapping: unknown, key: string): { text: string; ms: number } | undefined {
  if (!isMapping(mapping) || typeof mapping[key] !== 'string') return undefined;
  const text = mapping[key];
  const value = parseDuration(text);
  return value === undefined ? undefined : { text, ms: value };
}

const defaultDuration = (text: string) => ({ text, ms: ms(text) });

/** Each backoff (the section's, then each channel's over it) must start no later than its longest wait. */
function backoffProblems(document: ConfigDocument, section: Mapping): ConfigProblem[] {
  const sectionBackoff = {
    initial: durationAt(section['backoff'], 'initial') ?? defaultDuration(BACKOFF_DEFAULTS.initial),
    max: durationAt(section['backoff'], 'max') ?? defaultDuration(BACKOFF_DEFAULTS.max),
  };
  const places = [
    { pointer: `${POINTER}/backoff`, backoff: section['backoff'] },
    ...channelEntries(section).map(([name, channel]) => ({
      pointer: `${POINTER}/channels/${name}/backoff`,
      backoff: channel['backoff'],
    })),
  ];
  return places.flatMap(({ pointer, backoff }) => {
    if (!isMapping(backoff)) return [];
    const initial = durationAt(backoff, 'initial') ?? sectionBackoff.initial;
    const max = durationAt(backoff, 'max') ?? sectionBackoff.max;
    if (initial.ms <= max.ms) return [];
    return backoff['max'] !== undefined
      ? [document.problem(`${pointer}/max`, `must be at least the initial backoff (${initial.text}), got ${max.text}`)]
      : [
          document.problem(
            `${pointer}/initial`,
            `must be at most the longest backoff (${max.text}), got ${initial.text}`,
          ),
        ];
  });
}

/**
 * A worker must finish an attempt inside its lease, or another worker takes the job over and sends it twice. Only a
 * timeout written down can break that: an unset one is at most half the lease (defaultTimeoutMs).
 */
function leaseProblems(document: ConfigDocument, section: Mapping): ConfigProblem[] {
  const lease = durationAt(section, 'lease') ?? defaultDuration(LEASE_DEFAULT);
  return channelEntries(section).flatMap(([name, channel]) => {
    const timeout = durationAt(channel, 'timeout');
    if (timeout === undefined || timeout.ms < lease.ms) return [];
    const message = `must be shorter than the lease (${lease.text}), got ${timeout.text}`;
    return [document.problem(`${POINTER}/channels/${name}/timeout`, message)];
  });
}

/** A channel's timeout when config.yml sets none: the default, or half the lease when that is shorter. */
function defaultTimeoutMs(leaseMs: number): number {
  return Math.min(ms(CHANNEL_DEFAULTS.timeout), Math.floor(leaseMs / 2));
}

function channelEntries(section: Mapping): Array<[string, Mapping]> {
  const channels = section['channels'];
  if (!isMapping(channels)) return [];
  return Object.entries(channels).filter((entry): entry is [string, Mapping] => isMapping(entry[1]));
}

export function normalizeNotifications(raw: RawConfigFile['notifications']): NotificationSettings {
  const section = raw ?? {};
  const defaultBackoff = backoffOf(section.backoff, {
    initialBackoffMs: ms(BACKOFF_DEFAULTS.initial),
    maxBackoffMs: ms(BACKOFF_DEFAULTS.max),
  });
  const leaseMs = ms(section.lease ?? LEASE_DEFAULT);
  const defaultPolicy: ChannelPolicy = {
    maxAttempts: CHANNEL_DEFAULTS.max_attempts,
    maxAgeMs: ms(CHANNEL_DEFAULTS.max_age),
    timeoutMs: defaultTimeoutMs(leaseMs),
    concurrency: CHANNEL_DEFAULTS.concurrency,
    ...defaultBackoff,
  };
  const policies: Record<string, ChannelPolicy> = {};
  const recipients: Record<string, string[]> = {};
  for (const name of NOTIFICATION_CHANNELS) {
    const channel = section.channels?.[name];
    policies[name] = {
      maxAttempts: channel?.max_attempts ?? defaultPolicy.maxAttempts,
      maxAgeMs: channel?.max_age === undefined ? defaultPolicy.maxAgeMs : ms(channel.max_age),
      timeoutMs: channel?.timeout === undefined ? defaultPolicy.timeoutMs : ms(channel.timeout),
      concurrency: channel?.concurrency ?? defaultPolicy.concurrency,
      ...backoffOf(channel?.backoff, defaultBackoff),
    };
    recipients[name] = channel !== undefined && 'recipients' in channel ? [...(channel.recipients ?? [])] : [];
  }
  const routes = section.routes?.map(normalizeRoute);
  return {
    routes: routes ?? seedRoutes(),
    seeded: routes === undefined,
    policies,
    defaultPolicy,
    recipients,
    leaseMs,
  };
}

function normalizeRoute(raw: RawRoute, index: number): Route {
  const equalities = Object.entries(raw.match ?? {}).map(([name, value]): LabelMatcher => ({
    name,
    operator: '=',
    value,
  }));
  const parsed = (raw.matchers ?? []).map((text) => {
    const result = parseMatcher(text);
    if (!result.ok) throw new Error(`matcher ${text} passed validation: ${result.reason}`);
    return result.matcher;
  });
  const targets = Object.entries(raw.channels ?? {}).map(([channel, options]) => {
    const routeRecipients =
      options !== null && options !== undefined && 'recipients' in options ? options.recipients : undefined;
    return routeRecipients === undefined ? { channel } : { channel, recipients: [...routeRecipients] };
  });
  const reminder = raw.reminder_interval === undefined ? undefined : ms(raw.reminder_interval);
  return {
    source: `notifications.routes[${index}]`,
    matchers: [...equalities, ...parsed],
    targets,
    continue: raw.continue ?? false,
    ...(reminder === undefined ? {} : { reminderIntervalMs: reminder }),
  };
}

function seedRoutes(): Route[] {
  return SEEDS.map(({ severity, channels }) => ({
    source: `seed: ${severity}`,
    matchers: [{ name: 'severity', operator: '=', value: severity }],
    targets: channels.map((channel) => ({ channel })),
    continue: false,
  }));
}

function backoffOf(
  raw: RawBackoff,
  inherited: Pick<ChannelPolicy, 'initialBackoffMs' | 'maxBackoffMs'>,
): Pick<ChannelPolicy, 'initialBackoffMs' | 'maxBackoffMs'> {
  return {
    initialBackoffMs: raw?.initial === undefined ? inherited.initialBackoffMs : ms(raw.initial),
    maxBackoffMs: raw?.max === undefined ? inherited.maxBackoffMs : ms(raw.max),
  };
}

/** Milliseconds of a duration the schema has already accepted. */
function ms(text: string): number {
  const value = parseDuration(text);
  if (value === undefined) throw new Error(`duration ${text} passed validation without being one`);
  return value;
}

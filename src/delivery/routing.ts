// Who hears of an alert group: the routes its labels match (first match wins unless a route says `continue`), and the
// destinations they name, one per recipient for email and SMS and one for each single-destination channel. Pure: the
// receiver's planner calls it with the group's common labels (`severity` set to the group's highest) and writes one
// outbox job per destination.
//
// - A group no route matches goes nowhere: that is what the routes say (write a catch-all route to catch it).
// - A channel without credentials, or email/SMS with nobody to send to, is one `unconfigured` destination, so the
//   delivery log says why nothing went out there; the other channels still deliver.
// - Console fallback: while no channel but the console is configured (a fresh machine), a group that reaches any
//   destination also goes to the console, which prints what would have been sent. The unconfigured destinations stay
//   in the list beside it, so the log still names what to set up.
// - A destination two routes reach is listed once, for the first route that reached it.

import { RECIPIENT_CHANNELS, type ChannelName } from '../config/schema/settings/notifications.js';
import { anchoredRegex } from '../config/label-matcher.js';
import type { Destination } from '../model/delivery.js';
import type { LabelMatcher, NotificationSettings, Route, RouteTarget } from '../model/routing.js';
import { RECIPIENT_VARIABLES } from './channel-env/setup.js';
import type { ChannelRegistry } from './channel-registry.js';

export interface RoutedDestination extends Destination {
  state: 'pending' | 'unconfigured';
  /** The route that reached it (`notifications.routes[0]`, `seed: critical`, `fallback: console`). */
  route: string;
  /** The route's reminder interval, when it has one. */
  reminderIntervalMs?: number;
  /** What to set so an unconfigured destination can send; the delivery log shows it. */
  reason?: string;
}

/** What routing needs to know of the channels. */
export type ChannelDirectory = Pick<ChannelRegistry, 'configured' | 'recipients' | 'names' | 'unconfiguredReason'>;

type Labels = Readonly<Record<string, string>>;

export const CONSOLE_FALLBACK = 'fallback: console';

/** Compiled once per matcher of the loaded settings (the config has already checked that each compiles). */
const compiled = new WeakMap<LabelMatcher, RegExp>();

function regexOf(matcher: LabelMatcher): RegExp {
  let regex = compiled.get(matcher);
  if (regex === undefined) {
    regex = anchoredRegex(matcher.value);
    compiled.set(matcher, regex);
  }
  return regex;
}

/** As Alertmanager matches: an absent label has the value "". */
export function matches(matcher: LabelMatcher, labels: Labels): boolean {
  const value = labels[matcher.name] ?? '';
  switch (matcher.operator) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return regexOf(matcher).test(value);
    case '!~':
      return !regexOf(matcher).test(value);
  }
}

/** The routes a group with these labels takes, in order: up to and including the first without `continue`. */
export function matchingRoutes(labels: Labels, routes: readonly Route[]): Route[] {
  const taken: Route[] = [];
  for (const route of routes) {
    if (!route.matchers.every((matcher) => matches(matcher, labels))) continue;
    taken.push(route);
    if (!route.continue) break;
  }
  return taken;
}

export function destinationsFor(
  labels: Labels,
  settings: Pick<NotificationSettings, 'routes'>,
  channels: ChannelDirectory,
): RoutedDestination[] {
  const found = new Map<string, RoutedDestination>();
  for (const route of matchingRoutes(labels, settings.routes)) {
    for (const target of route.targets) {
      for (const destination of targetDestinations(route, target, channels)) {
        const key = `${destination.channel}\u0000${destination.recipient ?? ''}`;
        if (!found.has(key)) found.set(key, destination);
      }
    }
  }
  const destinations = [...found.values()];
  const onlyConsole = channels.names().every((name) => name === 'console');
  if (onlyConsole && destinations.length > 0 && !destinations.some(isConsole))
    destinations.push({ channel: 'console', state: 'pending', route: CONSOLE_FALLBACK });
  return destinations;
}

function isConsole(destination: RoutedDestination): boolean {
  return destination.channel === 'console';
}

function targetDestinations(route: Route, target: RouteTarget, channels: ChannelDirectory): RoutedDestination[] {
  const { channel } = target;
  const from = {
    route: route.source,
    ...(route.reminderIntervalMs === undefined ? {} : { reminderIntervalMs: route.reminderIntervalMs }),
  };
  const unconfigured = (reason: string | undefined): RoutedDestination => ({
    channel,
    state: 'unconfigured',
    ...from,
    ...(reason === undefined ? {} : { reason }),
  });
  if (!channels.configured(channel)) return [unconfigured(channels.unconfiguredReason(channel))];
  if (!takesRecipients(channel)) return [{ channel, state: 'pending', ...from }];
  const recipients = target.recipients ?? channels.recipients(channel);
  if (recipients.length === 0) {
    const variable = RECIPIENT_VARIABLES[channel];
    const where = `notifications.channels.${channel}.recipients`;
    return [unconfigured(`no recipients: set ${variable === undefined ? where : `${variable} or ${where}`}`)];
  }
  return recipients.map((recipient) => ({ channel, recipient, state: 'pending', ...from }));
}

export function takesRecipients(channel: string): boolean {
  return RECIPIENT_CHANNELS.includes(channel as ChannelName);
}

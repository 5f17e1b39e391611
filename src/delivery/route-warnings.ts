// What `vigil check-config` warns of in a valid configuration: a route that names a channel which cannot deliver
// (no credentials in the environment, or email/SMS with nobody to send to). Not errors: such a destination is
// recorded as `unconfigured` and the other channels still deliver, but a user should know before an alert fires.

import type { NotificationSettings, Route, RouteTarget } from '../model/routing.js';
import type { ChannelRegistry } from './channel-registry.js';
import { RECIPIENT_VARIABLES } from './channel-env/setup.js';
import { takesRecipients } from './routing.js';

type Channels = Pick<ChannelRegistry, 'configured' | 'recipients' | 'names' | 'unconfiguredReason'>;

/** One line per route and channel that cannot deliver, as `PATH: message` (the caller puts the file before it). */
export function routeWarnings(settings: NotificationSettings, channels: Channels): string[] {
  const consequence = channels.names().some((name) => name !== 'console')
    ? 'other channels still deliver'
    : 'the console prints what would be sent';
  if (settings.seeded) return seedWarnings(settings.routes, channels, consequence);
  return settings.routes.flatMap((route) =>
    route.targets.flatMap((target) => {
      const problem = targetProblem(target, channels);
      return problem === undefined ? [] : [`${route.source}.channels.${target.channel}: ${problem}; ${consequence}`];
    }),
  );
}

/** Why a route's channel cannot deliver, or undefined when it can. */
function targetProblem(target: RouteTarget, channels: Channels): string | undefined {
  const { channel } = target;
  if (!channels.configured(channel)) return `unconfigured (${channels.unconfiguredReason(channel) ?? 'unknown'})`;
  if (!takesRecipients(channel) || (target.recipients ?? channels.recipients(channel)).length > 0) return undefined;
  const listed = `notifications.channels.${channel}.recipients`;
  return `no recipients (list them on the route, in ${listed} or in ${RECIPIENT_VARIABLES[channel] ?? 'the environment'})`;
}

/** The seeds name a channel several times: one line per channel, saying which severities it would have carried. */
function seedWarnings(routes: readonly Route[], channels: Channels, consequence: string): string[] {
  const severities = new Map<string, string[]>();
  for (const route of routes) {
    const severity = route.source.replace(/^seed: /, '');
    for (const target of route.targets) {
      if (targetProblem(target, channels) !== undefined)
        severities.set(target.channel, [...(severities.get(target.channel) ?? []), severity]);
    }
  }
  return [...severities].map(([channel, carried]) => {
    const problem = targetProblem({ channel }, channels) ?? '';
    const alerts = `the default routes send ${listed(carried)} alerts to it`;
    return `notifications.channels.${channel}: ${problem}, and ${alerts}; ${consequence}`;
  });
}

function listed(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

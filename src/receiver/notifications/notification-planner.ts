// The notification planner: what one webhook notification sends, decided inside the ingest transaction once its
// alerts are written, against the group as last notified. A new firing set (or the end of it) is one notification to
// every routed destination; the same state again (Alertmanager's retries, an HA pair, repeat_interval) sends nothing,
// unless a route asks for reminders and one is due. Pure apart from the clock and the id source it is given.

import { type AlertRecord, isOpen } from '../../model/alert.js';
import type { GroupState, NotificationPlan } from '../../model/delivery.js';
import type { RoutedDestination } from '../../delivery/routing.js';
import type { NotificationPlanner } from '../../store/alert-store.js';
import { firingAlerts, groupStateKey, highestSeverity } from './group-state.js';
import { type NotificationLinkSettings, notificationBody } from './notification-body.js';

/** The destinations of a group with these labels (its common labels, `severity` its highest). */
export type Router = (labels: Readonly<Record<string, string>>) => RoutedDestination[];

export interface NotificationPlannerOptions {
  route: Router;
  links: NotificationLinkSettings;
  now: () => number;
  newId: () => string;
}

/** First start to last end of the group's alerts. */
function lasted(alerts: readonly AlertRecord[], now: number): number {
  const start = Math.min(...alerts.map((alert) => alert.startsAt));
  const end = Math.max(...alerts.map((alert) => alert.endsAt ?? now));
  return Math.max(0, end - start);
}

export function notificationPlanner(options: NotificationPlannerOptions): NotificationPlanner {
  return (stored, group, alerts) => {
    if (group.groupKey === undefined || alerts.length === 0) return undefined;
    const now = options.now();
    const firing = firingAlerts(alerts);
    const stateKey = groupStateKey(firing);
    const status = firing.length > 0 ? 'firing' : 'resolved';
    const severity = highestSeverity(status === 'firing' ? firing : alerts);
    let destinations = options.route({ ...group.commonLabels, severity });
    if (stored?.stateKey === stateKey) {
      // The same state again: only a due reminder sends, and only to the routes that ask for one.
      const elapsed = now - stored.notifiedAt;
      destinations = destinations.filter(
        (to) => status === 'firing' && to.reminderIntervalMs !== undefined && elapsed >= to.reminderIntervalMs,
      );
      if (destinations.length === 0) return undefined;
    }
    const next: GroupState = {
      groupKey: group.groupKey,
      stateKey,
      status,
      sequence: (stored?.sequence ?? 0) + 1,
      notifiedAt: now,
    };
    if (status === 'firing') next.firingSince = stored?.status === 'firing' ? (stored.firingSince ?? now) : now;
    // Muted alerts fire on, but nobody asked to hear of them.
    const audible = firing.filter((alert) => alert.state !== 'suppressed');
    if (destinations.length === 0 || (status === 'firing' && audible.length === 0)) return { group: next };
    const notification = notificationBody(
      {
        group,
        // The sequence makes a later return to the same firing set a new message (a new Message-ID, a new delivery id).
        stateKey: `${next.sequence}:${stateKey}`,
        status,
        severity,
        firing: audible,
        resolved: alerts.filter((alert) => !isOpen(alert.state)),
        ...(status === 'resolved' ? { durationMs: lasted(alerts, now) } : {}),
      },
      options.links,
    );
    const plan: NotificationPlan = {
      group: next,
      send: {
        id: options.newId(),
        notification,
        alertIds: [...new Set(alerts.map((alert) => alert.id))],
        destinations: destinations.map(({ channel, recipient, state, reason }) => ({
          channel,
          state,
          ...(recipient === undefined ? {} : { recipient }),
          ...(reason === undefined ? {} : { reason }),
        })),
      },
    };
    return plan;
  };
}

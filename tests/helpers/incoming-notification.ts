// Alerts handed to an alert store the way the receiver hands them: as webhook notifications. Most store tests care
// about the alerts alone; these wrap them in one notification of a plain group and flatten what comes back.

import type { IncomingAlert, IncomingGroup, IncomingNotification } from '../../src/model/alert.js';
import type { AlertStore, AppliedChange, IngestEnrichment, IngestPlanner } from '../../src/store/alert-store.js';

export function notificationOf(alerts: IncomingAlert[], group: Partial<IncomingGroup> = {}): IncomingNotification {
  const first = alerts[0];
  return {
    group: {
      status: alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      truncatedAlerts: 0,
      receivedAt: first?.receivedAt ?? Date.now(),
      ...group,
    },
    alerts,
  };
}

/** The alerts as one notification, without notification planning; the changes of every alert, in order. */
export async function ingestAlerts<Outcome extends string>(
  store: AlertStore,
  alerts: IncomingAlert[],
  plan: IngestPlanner<Outcome>,
  enrichment?: IngestEnrichment,
): Promise<Array<AppliedChange<Outcome>>> {
  const planners = enrichment === undefined ? { alert: plan } : { alert: plan, enrichment };
  const applied = await store.ingest([notificationOf(alerts)], planners);
  return applied.flatMap((notification) => notification.changes);
}

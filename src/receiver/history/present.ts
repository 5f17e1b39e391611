// Alerts as the admin API shows them: snake_case JSON, ISO times, durations in seconds. Labels and annotations are
// passed through as data (JSON-encoded, served as application/json with nosniff), never as markup.

import type { AlertAction, AlertEvent, AlertRecord } from '../../model/alert.js';
import type { DeliveryRecord } from '../../model/delivery.js';
import { enrichmentView, type ViewSettings } from '../enrichment/enrich.js';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

function presentAction(action: AlertAction | undefined) {
  if (action === undefined) return null;
  return { at: iso(action.at), by: action.by, note: action.note ?? null };
}

export function presentAlert(alert: AlertRecord, links: ViewSettings) {
  const enrichment = alert.enrichment === undefined ? undefined : enrichmentView(alert, alert.enrichment, links);
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    state: alert.state,
    alertname: alert.alertname,
    severity: alert.severity,
    check: alert.checkId ?? null,
    labels: alert.labels,
    annotations: alert.annotations,
    starts_at: iso(alert.startsAt),
    last_starts_at: iso(alert.lastStartsAt),
    ends_at: iso(alert.endsAt),
    duration_seconds: alert.durationMs === undefined ? null : alert.durationMs / 1000,
    first_seen_at: iso(alert.firstSeenAt),
    last_seen_at: iso(alert.lastSeenAt),
    notification_count: alert.notificationCount,
    acknowledged: presentAction(alert.acknowledged),
    resolved: presentAction(alert.resolved),
    suppressed:
      alert.suppressed === undefined
        ? null
        : {
            ...presentAction(alert.suppressed),
            until: iso(alert.suppressed.until),
            silence_id: alert.suppressed.silenceId ?? null,
          },
    enrichment_pending: enrichment === undefined,
    priority: enrichment?.priority ?? null,
    category: enrichment?.category ?? null,
    impact: enrichment?.impact ?? null,
    recommendations: enrichment?.recommendations ?? [],
    diagnosis: enrichment?.diagnosis ?? null,
    links: {
      prometheus: enrichment?.links.prometheus ?? null,
      status_page: enrichment?.links.statusPage ?? null,
      silence: enrichment?.links.silence ?? null,
    },
    receiver: alert.receiver ?? null,
    group_key: alert.groupKey ?? null,
  };
}

export function presentEvent(event: AlertEvent) {
  return {
    id: event.id,
    at: iso(event.at),
    kind: event.kind,
    source: event.source,
    actor: event.actor ?? null,
    note: event.note ?? null,
    notify: event.notify,
    detail: event.detail,
  };
}

/** One message of the delivery log: where it went, what became of it, and the provider's id once sent. */
export function presentDelivery(delivery: DeliveryRecord) {
  return {
    id: delivery.id,
    notification_id: delivery.notificationId,
    channel: delivery.channel,
    recipient: delivery.recipient ?? null,
    state: delivery.state,
    attempts: delivery.attempts,
    accepted_at: iso(delivery.acceptedAt),
    next_attempt_at: delivery.state === 'pending' ? iso(delivery.nextAttemptAt) : null,
    last_error: delivery.lastError ?? null,
    sent_at: iso(delivery.sentAt),
    provider_id: delivery.providerId ?? null,
  };
}

/** One alert with its history and its delivery log (every message of every notification that listed it). */
export function presentAlertDetail(
  alert: AlertRecord,
  events: readonly AlertEvent[],
  deliveries: readonly DeliveryRecord[],
  links: ViewSettings,
) {
  return {
    ...presentAlert(alert, links),
    events: events.map(presentEvent),
    deliveries: deliveries.map(presentDelivery),
  };
}

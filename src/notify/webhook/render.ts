// A notification as the generic webhook's body (pure): a versioned, documented JSON document (docs/webhook.md) in
// snake_case like Alertmanager's own webhook, with RFC 3339 times, every alert of the group (a program reads it, so
// nothing is cut), and a delivery id that stays the same when one notification is sent again. Labels and annotations
// go through as they are: JSON.stringify escapes them, and the receiver decides how to show them.

import { createHash } from 'node:crypto';
import { httpUrl } from '../../http-url.js';
import type { AlertDiagnosis } from '../../model/diagnosis.js';
import type { Notification, NotificationAlert, NotificationLinks } from '../../model/notification.js';
import { groupDurationMs } from '../format.js';

/** Bumped only when a field changes meaning or goes away; new fields are added without a bump. */
export const WEBHOOK_BODY_VERSION = '1';

export interface WebhookLinks {
  vigil: string | null;
  prometheus: string | null;
  silence: string | null;
  status_page: string | null;
  runbook: string | null;
}

export interface WebhookDiagnosis {
  summary: string;
  probable_cause: string | null;
  evidence: string[];
  recommendations: string[];
  confidence: AlertDiagnosis['confidence'];
  source: AlertDiagnosis['source'];
}

export interface WebhookAlert {
  id: string;
  status: 'firing' | 'resolved';
  alertname: string;
  severity: string;
  check: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  starts_at: string;
  ends_at: string | null;
  priority: string | null;
  impact: string | null;
  diagnosis: WebhookDiagnosis | null;
  links: WebhookLinks;
}

export interface WebhookBody {
  version: typeof WEBHOOK_BODY_VERSION;
  group_key: string;
  state_key: string;
  status: 'firing' | 'resolved';
  severity: string;
  group_labels: Record<string, string>;
  common_labels: Record<string, string>;
  common_annotations: Record<string, string>;
  alerts: WebhookAlert[];
  list_url: string | null;
  accepted_at: string;
  duration_ms: number | null;
}

export interface WebhookMessage {
  /** The `X-Vigil-Delivery` header: one notification's id, so a receiver can drop a repeat. */
  deliveryId: string;
  body: WebhookBody;
}

export function renderWebhookMessage(notification: Notification): WebhookMessage {
  return { deliveryId: webhookDeliveryId(notification), body: renderWebhookBody(notification) };
}

/** Hex SHA-256 of the group key, a NUL and the state key: the same notification, however often it is sent. */
export function webhookDeliveryId(notification: Pick<Notification, 'groupKey' | 'stateKey'>): string {
  return createHash('sha256').update(`${notification.groupKey}\0${notification.stateKey}`).digest('hex');
}

export function renderWebhookBody(notification: Notification): WebhookBody {
  return {
    version: WEBHOOK_BODY_VERSION,
    group_key: notification.groupKey,
    state_key: notification.stateKey,
    status: notification.status,
    severity: notification.severity,
    group_labels: { ...notification.groupLabels },
    common_labels: { ...notification.commonLabels },
    common_annotations: { ...notification.commonAnnotations },
    alerts: notification.alerts.map(renderAlert),
    list_url: httpUrl(notification.listUrl) ?? null,
    accepted_at: rfc3339(notification.acceptedAt),
    duration_ms: notification.status === 'resolved' ? (groupDurationMs(notification) ?? null) : null,
  };
}

function renderAlert(alert: NotificationAlert): WebhookAlert {
  return {
    id: alert.id,
    status: alert.status,
    alertname: alert.alertname,
    severity: alert.severity,
    check: alert.checkId ?? null,
    labels: { ...alert.labels },
    annotations: { ...alert.annotations },
    starts_at: rfc3339(alert.startsAt),
    ends_at: alert.endsAt === undefined ? null : rfc3339(alert.endsAt),
    priority: alert.priority ?? null,
    impact: alert.impact ?? null,
    diagnosis: renderDiagnosis(alert.diagnosis),
    links: renderLinks(alert.links),
  };
}

/** A placeholder written before any diagnosis ran says nothing yet: null, like no diagnosis. */
function renderDiagnosis(diagnosis: AlertDiagnosis | undefined): WebhookDiagnosis | null {
  if (diagnosis === undefined || diagnosis.pending === true) return null;
  return {
    summary: diagnosis.summary,
    probable_cause: diagnosis.probable_cause,
    evidence: [...diagnosis.evidence],
    recommendations: [...diagnosis.recommendations],
    confidence: diagnosis.confidence,
    source: diagnosis.source,
  };
}

/** Links come from labels and annotations: only http(s) ones go out. */
function renderLinks(links: NotificationLinks): WebhookLinks {
  return {
    vigil: httpUrl(links.vigil) ?? null,
    prometheus: httpUrl(links.prometheus) ?? null,
    silence: httpUrl(links.silence) ?? null,
    status_page: httpUrl(links.statusPage) ?? null,
    runbook: httpUrl(links.runbook) ?? null,
  };
}

/** RFC 3339 in UTC with milliseconds: "2026-12-04T13:40:00.000Z". */
function rfc3339(unixMs: number): string {
  return new Date(unixMs).toISOString();
}

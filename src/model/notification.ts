// A notification as the channels see it: one Alertmanager notification (an alert group at one moment) with its alerts
// as the receiver stored and enriched them. A channel renders one message from it per recipient; the outbox sends it.

import type { AlertRecord, Priority } from './alert.js';
import type { AlertDiagnosis } from './diagnosis.js';

/** Where a person can look next; every link is an http(s) URL or absent. */
export interface NotificationLinks {
  /** The alert (or the group's list of alerts) in Vigil's admin API. */
  vigil?: string;
  /** The expression that fired, in Prometheus (Alertmanager's generatorURL). */
  prometheus?: string;
  /** A new Alertmanager silence, prefilled with the alert's labels. */
  silence?: string;
  statusPage?: string;
  /** The `runbook_url` annotation. */
  runbook?: string;
}

export interface NotificationAlert {
  /** Vigil's alert id. */
  id: string;
  status: 'firing' | 'resolved';
  alertname: string;
  severity: string;
  checkId?: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  /** Unix milliseconds. */
  startsAt: number;
  /** When it resolved (Unix milliseconds); absent while firing. */
  endsAt?: number;
  priority?: Priority;
  impact?: string;
  diagnosis?: AlertDiagnosis;
  /** Alertmanager's generatorURL: the Prometheus link is made from it. */
  generatorUrl?: string;
  /**
   * Filled when the message is sent, from the settings of that moment: the ingest that stores the notification
   * writes none (they were most of its bytes). A notification stored by an older Vigil carries them already.
   */
  links: NotificationLinks;
}

export interface Notification {
  /** Alertmanager's group key: with `stateKey` it names the message, so a send retried after a crash is the same one. */
  groupKey: string;
  /** Identifies the group's state at this notification (which alerts fire): a new state is a new message. */
  stateKey: string;
  /** `resolved` once every alert of the group has resolved. */
  status: 'firing' | 'resolved';
  /** The most severe severity among the group's alerts (critical > warning > info > anything else). */
  severity: string;
  /** The labels Alertmanager grouped by (`alertname`, `component`, ...). */
  groupLabels: Readonly<Record<string, string>>;
  commonLabels: Readonly<Record<string, string>>;
  commonAnnotations: Readonly<Record<string, string>>;
  /** Firing alerts first, then resolved ones; may be long (a group of 300 checks down). */
  alerts: readonly NotificationAlert[];
  /** Alertmanager's externalURL as the notification gave it: the silence links point there. */
  externalUrl?: string;
  /** The whole group in Vigil, for the "…and N more" of a message cut to a provider's limit. */
  listUrl?: string;
  /** When the receiver accepted the notification (Unix milliseconds). */
  acceptedAt: number;
  /** For a resolved group: how long it fired, first start to last end (milliseconds). */
  durationMs?: number;
}

/**
 * An alert as a notification lists it: its labels, annotations, priority, impact and diagnosis as stored, with the
 * status it had in that notification (an alert that resolved since still shows as firing in a firing message).
 */
export function listedAlert(alert: AlertRecord, status: NotificationAlert['status']): NotificationAlert {
  const listed: NotificationAlert = {
    id: alert.id,
    status,
    alertname: alert.alertname,
    severity: alert.severity,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    links: {},
  };
  if (alert.checkId !== undefined) listed.checkId = alert.checkId;
  if (alert.generatorUrl !== undefined) listed.generatorUrl = alert.generatorUrl;
  if (status === 'resolved' && alert.endsAt !== undefined) listed.endsAt = alert.endsAt;
  const { enrichment } = alert;
  if (enrichment !== undefined) {
    listed.priority = enrichment.priority;
    listed.impact = enrichment.impact;
    if (enrichment.diagnosis !== undefined) listed.diagnosis = enrichment.diagnosis;
  }
  return listed;
}

// Ingest of one validated webhook notification: a store transaction (shared with the notifications arriving at the
// same moment, see IngestBatcher) decides every alert with the state machine and writes it enriched, once; then,
// once it is durable, outcomes are counted and silences of resolved alerts are expired. The caller answers Alertmanager
// once `ingest` resolves; it rejects with StoreUnavailable when nothing was stored.

import type { Logger } from 'pino';
import type { ReceiverMetrics } from '../../metrics/receiver-metrics.js';
import type { AlertEvent, AlertRecord, IncomingNotification, IngestOutcome } from '../../model/alert.js';
import type { NotificationPlan } from '../../model/delivery.js';
import type { AlertStore, IngestEnrichment, NotificationPlanner } from '../../store/alert-store.js';
import type { Silences } from '../silences/alertmanager-silences.js';
import { expireRequestedSilences } from '../silences/silence-expiry.js';
import type { StoreCall } from '../store-calls.js';
import { newAlertId } from './alert-id.js';
import { planIngest } from './alert-state.js';
import { IngestBatcher } from './ingest-batcher.js';

export interface IngestServiceOptions {
  store: AlertStore;
  call: StoreCall;
  metrics: ReceiverMetrics;
  dedupWindowMs: number;
  silences: Silences | undefined;
  logger: Logger;
  /** Applied to each new alert in the ingest transaction, so it is written once, already enriched. */
  enrichment: IngestEnrichment;
  /** Decides, in the same transaction, what the notification sends; without it nothing is sent. */
  notificationPlanner?: NotificationPlanner;
  /** Told once a notification that sends something is committed (the outbox worker wakes up). */
  onPlanned?: (plan: NotificationPlan) => void;
  /** Told once committed of the alerts that began a firing (new, refired, reopened): their diagnosis starts. */
  onFiring?: (alerts: readonly AlertRecord[]) => void;
  newId?: () => string;
}

export interface IngestSummary {
  alerts: number;
  outcomes: Partial<Record<IngestOutcome, number>>;
  /** Events appended, with their ids. */
  events: AlertEvent[];
  /** What the notification sends; absent when it is not news (a re-delivery of the group's state). */
  plan?: NotificationPlan;
}

/** The outcomes that begin a firing of an alert. */
const FIRINGS: ReadonlySet<IngestOutcome> = new Set(['new', 'refired', 'reopened']);

export class IngestService {
  readonly #batcher: IngestBatcher<IngestOutcome>;

  constructor(private readonly options: IngestServiceOptions) {
    const context = { dedupWindowMs: options.dedupWindowMs, newId: options.newId ?? (() => newAlertId()) };
    this.#batcher = IngestBatcher.over(options.store, {
      alert: (latest, incoming) => planIngest(latest, incoming, context),
      enrichment: options.enrichment,
      ...(options.notificationPlanner === undefined ? {} : { notification: options.notificationPlanner }),
    });
  }

  async ingest(notification: IncomingNotification): Promise<IngestSummary> {
    const { call, metrics, silences, logger } = this.options;
    const applied = await call('ingest', () => this.#batcher.submit(notification));
    const summary: IngestSummary = { alerts: notification.alerts.length, outcomes: {}, events: [] };
    if (applied.plan?.send !== undefined) {
      summary.plan = applied.plan;
      this.options.onPlanned?.(applied.plan);
    }
    const firing: AlertRecord[] = [];
    for (const change of applied.changes) {
      metrics.alert(change.outcome);
      summary.outcomes[change.outcome] = (summary.outcomes[change.outcome] ?? 0) + 1;
      summary.events.push(...change.events);
      if (FIRINGS.has(change.outcome)) firing.push(...change.alerts);
    }
    if (firing.length > 0) this.options.onFiring?.(firing);
    void expireRequestedSilences(summary.events, silences, logger, (operation, result) =>
      metrics.silenceRequest(operation, result),
    );
    return summary;
  }
}

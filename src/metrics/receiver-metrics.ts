// The receiver's /metrics: process metrics, `uptime_alert_count{severity}` and its lint-clean twin
// `uptime_alerts_active{severity}` (firing alerts, read from the store at scrape time so every replica reports the
// same), notifications received by outcome, alerts ingested by outcome, and store latency. Severity comes from alert labels, which are untrusted: it is folded into a fixed set so no
// sender can blow up the number of series.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { INGEST_OUTCOMES, type IngestOutcome } from '../model/alert.js';
import type { AlertStore } from '../store/alert-store.js';
import { registerProcessMetrics } from './process-metrics.js';

export const NOTIFICATION_OUTCOMES = [
  'accepted',
  'invalid',
  'unauthorized',
  'too_large',
  'unsupported_media_type',
  'store_unavailable',
] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

export const STORE_OPERATIONS = ['ingest', 'change', 'read', 'enrich', 'timeout', 'prune'] as const;
export type StoreOperation = (typeof STORE_OPERATIONS)[number];

const SEVERITIES = ['critical', 'warning', 'info', 'none', 'other'] as const;

export function severityLabel(severity: string): (typeof SEVERITIES)[number] {
  const lower = severity.toLowerCase();
  if (lower === '') return 'none';
  return (SEVERITIES as readonly string[]).includes(lower) ? (lower as (typeof SEVERITIES)[number]) : 'other';
}

export class ReceiverMetrics {
  readonly registry = new Registry();
  readonly #notifications: Counter<'outcome'>;
  readonly #alerts: Counter<'outcome'>;
  readonly #storeDuration: Histogram<'operation'>;
  readonly #silenceRequests: Counter<'operation' | 'result'>;

  constructor(store: AlertStore, logger: Logger) {
    registerProcessMetrics(this.registry);
    const registers = [this.registry];
    // Both gauges show the same counts, read once per scrape: prom-client collects every metric of a scrape at once,
    // so the second collect finds the first one's read still pending and shares it.
    let pending: Promise<Map<string, number> | undefined> | undefined;
    const firingCounts = (): Promise<Map<string, number> | undefined> =>
      (pending ??= countFiring(store)
        .catch((error: unknown) => {
          logger.warn({ err: error }, 'could not count alerts for /metrics; showing the previous counts');
          return undefined;
        })
        .finally(() => (pending = undefined)));
    const firingGauge = (name: string, help: string): void => {
      new Gauge({
        name,
        help,
        labelNames: ['severity'],
        registers,
        async collect() {
          const counts = await firingCounts();
          for (const [severity, count] of counts ?? []) this.set({ severity }, count);
        },
      });
    };
    // The contract's name (CONTRACT section 4), which promtool's lint flags for its `_count` suffix, and its
    // lint-clean twin that the rules and dashboards read.
    firingGauge('uptime_alert_count', 'Firing alerts (active or acknowledged, not suppressed) by severity.');
    firingGauge(
      'uptime_alerts_active',
      'Firing alerts (active or acknowledged, not suppressed) by severity; the same as uptime_alert_count.',
    );
    this.#notifications = new Counter({
      name: 'uptime_receiver_notifications_total',
      help: 'Webhook notifications received, by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.#alerts = new Counter({
      name: 'uptime_receiver_alerts_total',
      help: 'Alerts in accepted notifications, by what they did: new, duplicate, stale, refired, reopened, resolved.',
      labelNames: ['outcome'],
      registers,
    });
    this.#storeDuration = new Histogram({
      name: 'uptime_receiver_store_duration_seconds',
      help: 'Time the receiver waited on the store, by operation.',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.#silenceRequests = new Counter({
      name: 'uptime_receiver_silence_requests_total',
      help: 'Requests to Alertmanager to create or expire a silence, by operation and result.',
      labelNames: ['operation', 'result'],
      registers,
    });
    for (const outcome of NOTIFICATION_OUTCOMES) this.#notifications.inc({ outcome }, 0);
    for (const outcome of INGEST_OUTCOMES) this.#alerts.inc({ outcome }, 0);
    for (const operation of STORE_OPERATIONS) this.#storeDuration.zero({ operation });
  }

  notification(outcome: NotificationOutcome): void {
    this.#notifications.inc({ outcome });
  }

  alert(outcome: IngestOutcome): void {
    this.#alerts.inc({ outcome });
  }

  silenceRequest(operation: 'create' | 'expire', result: 'ok' | 'failed'): void {
    this.#silenceRequests.inc({ operation, result });
  }

  /** Runs `work` against the store and records how long it took, failed or not. */
  async timed<T>(operation: StoreOperation, work: () => Promise<T>): Promise<T> {
    const end = this.#storeDuration.startTimer({ operation });
    try {
      return await work();
    } finally {
      end();
    }
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Firing alerts by severity label, every severity present. */
async function countFiring(store: AlertStore): Promise<Map<string, number>> {
  const counts = new Map<string, number>(SEVERITIES.map((severity) => [severity, 0]));
  for (const row of await store.counts(['active', 'acknowledged'])) {
    const label = severityLabel(row.severity);
    counts.set(label, (counts.get(label) ?? 0) + row.count);
  }
  return counts;
}

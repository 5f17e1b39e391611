// The receiver assembled from its parts: ingest, lifecycle, history, enrichment and the timeout job over one alert
// store, with one metrics registry. Everything comes in as an argument; the HTTP app and the role only wire it.

import type { Logger } from 'pino';
import type { AlertmanagerSettings, ReceiverSettings } from '../config/types.js';
import { ReceiverMetrics } from '../metrics/receiver-metrics.js';
import type { AlertRecord } from '../model/alert.js';
import type { NotificationPlan } from '../model/delivery.js';
import type { AlertStore } from '../store/alert-store.js';
import type { OutboxStore } from '../store/outbox-store.js';
import { type Clock, systemClock } from './clock.js';
import { AffectedChecks } from './enrichment/affected-checks.js';
import { alertEnrichment } from './enrichment/enrich.js';
import { Enricher } from './enrichment/enricher.js';
import { HistoryService } from './history/history-service.js';
import { newAlertId } from './ingest/alert-id.js';
import { IngestService } from './ingest/ingest-service.js';
import { AlertRetention } from './lifecycle/alert-retention.js';
import { LifecycleService } from './lifecycle/lifecycle-service.js';
import { TimeoutSweeper } from './lifecycle/timeout-sweeper.js';
import { type Router, notificationPlanner } from './notifications/notification-planner.js';
import { withLinks } from './notifications/notification-body.js';
import type { Notification } from '../model/notification.js';
import type { AlertDiagnosis } from '../model/diagnosis.js';
import { AlertmanagerSilences, type Silences } from './silences/alertmanager-silences.js';
import { storeCalls } from './store-calls.js';

export interface ReceiverDependencies {
  alerts: AlertStore;
  settings: { receiver: ReceiverSettings; alertmanager: AlertmanagerSettings };
  /** How long closed alerts are kept (config.yml `retention.alerts`); undefined keeps them. */
  alertRetentionMs?: number;
  logger: Logger;
  clock?: Clock;
  /** Overrides the Alertmanager client built from `settings.alertmanager.url`. */
  silences?: Silences;
  /** How often the timeout job looks for expired alerts and ended suppressions. */
  sweepPeriodMs?: number;
  newId?: () => string;
  /** Who hears of each alert group; without it the receiver stores alerts and tells nobody. */
  notifications?: ReceiverNotifications;
  /** What the API shows for an alert with no diagnosis stored (the labels' own, when they are all the evidence). */
  diagnosisWhenNone?: (alert: AlertRecord) => AlertDiagnosis;
  /** Told once committed of the alerts that began a firing (the diagnosis of each starts). */
  onFiring?: (alerts: readonly AlertRecord[]) => void;
}

export interface ReceiverNotifications {
  /** Where the outbox jobs wait; the delivery log reads them. */
  outbox: OutboxStore;
  route: Router;
  /** Told once a notification that sends something is committed. */
  onPlanned?: (plan: NotificationPlan) => void;
}

export interface Receiver {
  readonly settings: ReceiverSettings;
  readonly clock: Clock;
  readonly metrics: ReceiverMetrics;
  readonly ingest: IngestService;
  readonly lifecycle: LifecycleService;
  readonly history: HistoryService;
  readonly enricher: Enricher;
  readonly sweeper: TimeoutSweeper;
  readonly retention: AlertRetention;
  /** A stored notification with its alerts' links, from this receiver's settings: what the outbox worker sends. */
  notificationLinks(notification: Notification): Notification;
  /** Starts the background work: enrichment of alerts stored without it, the timeout and retention jobs. */
  start(): void;
  /** Stops the background work and waits for what is in flight. */
  stop(): Promise<void>;
}

/** Often enough that an expiry is late by a small part of the TTL, never more than once a minute. */
function defaultSweepPeriod(ttlMs: number): number {
  return Math.min(60_000, Math.max(1_000, Math.floor(ttlMs / 10)));
}

export function createReceiver(dependencies: ReceiverDependencies): Receiver {
  const { alerts: store, settings, logger } = dependencies;
  const clock = dependencies.clock ?? systemClock;
  const metrics = new ReceiverMetrics(store, logger);
  const call = storeCalls(metrics);
  const silences =
    dependencies.silences ??
    (settings.alertmanager.url === undefined
      ? undefined
      : new AlertmanagerSilences(settings.alertmanager.url, settings.alertmanager.timeoutMs));
  const links = {
    ...(settings.receiver.prometheusUrl === undefined ? {} : { prometheusUrl: settings.receiver.prometheusUrl }),
    ...(settings.receiver.statusPageUrl === undefined ? {} : { statusPageUrl: settings.receiver.statusPageUrl }),
    ...(settings.alertmanager.url === undefined ? {} : { alertmanagerUrl: settings.alertmanager.url }),
  };
  const enrichment = alertEnrichment(clock);
  const enricher = new Enricher({ store, call, enrichment, logger });
  // Ingest enriches with it; every other change to an alert keeps its counts true.
  const affectedChecks = new AffectedChecks(enrichment);
  const sweeper = new TimeoutSweeper({
    store,
    call,
    metrics,
    silences,
    clock,
    logger,
    affectedChecks,
    ttlMs: settings.receiver.alertTtlMs,
    periodMs: dependencies.sweepPeriodMs ?? defaultSweepPeriod(settings.receiver.alertTtlMs),
  });
  const { notifications } = dependencies;
  const notificationLinkSettings = {
    ...links,
    ...(settings.receiver.externalUrl === undefined ? {} : { vigilUrl: settings.receiver.externalUrl }),
  };
  const ingest = new IngestService({
    store,
    call,
    metrics,
    silences,
    logger,
    dedupWindowMs: settings.receiver.dedupWindowMs,
    enrichment: affectedChecks,
    ...(dependencies.newId === undefined ? {} : { newId: dependencies.newId }),
    ...(dependencies.onFiring === undefined ? {} : { onFiring: dependencies.onFiring }),
    ...(notifications === undefined
      ? {}
      : {
          notificationPlanner: notificationPlanner({
            route: notifications.route,
            links: notificationLinkSettings,
            now: () => clock.now(),
            newId: () => newAlertId(clock.now()),
          }),
          ...(notifications.onPlanned === undefined ? {} : { onPlanned: notifications.onPlanned }),
        }),
  });
  const retention = new AlertRetention({ store, call, clock, logger, keepMs: dependencies.alertRetentionMs });
  return {
    settings: settings.receiver,
    clock,
    metrics,
    ingest,
    lifecycle: new LifecycleService({ store, call, metrics, silences, clock, logger, affectedChecks }),
    history: new HistoryService(
      store,
      call,
      clock,
      {
        ...links,
        ...(dependencies.diagnosisWhenNone === undefined ? {} : { diagnosisWhenNone: dependencies.diagnosisWhenNone }),
      },
      notifications?.outbox,
    ),
    enricher,
    sweeper,
    retention,
    notificationLinks: (notification) => withLinks(notification, notificationLinkSettings),
    start() {
      enricher.start();
      sweeper.start();
      retention.start();
    },
    async stop() {
      await Promise.all([sweeper.stop(), retention.stop()]);
      await enricher.stop();
    },
  };
}

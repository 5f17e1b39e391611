// Wiring of the receiver role: config → store → receiver (ingest, lifecycle, history, enrichment, timeouts) → HTTP
// server; the diagnosis of each new firing (its evidence source, the AI when configured); and the delivery half: the
// channels the environment configures, the routes, the outbox worker, which waits for the diagnoses before rendering.
// Like the prober role, nothing here reaches a global; the CLI passes everything in. The store is opened here unless
// the caller shares one (`vigil start` runs both roles on one store).

import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ListenAddress, VigilConfig } from './config/types.js';
import { channelRegistryFromEnv, formatEnvProblem } from './delivery/channel-registry.js';
import { OutboxWorker } from './delivery/outbox-worker.js';
import { destinationsFor } from './delivery/routing.js';
import { DeliveryMetrics } from './metrics/delivery-metrics.js';
import { DiagnosisMetrics } from './metrics/diagnosis-metrics.js';
import type { NotificationPlan } from './model/delivery.js';
import { createReceiverListener } from './http/receiver/app.js';
import { webhookCredentialsFrom } from './http/receiver/auth.js';
import { localUrl, startHttpServer, type HttpServer } from './http/server.js';
import { systemClock, type Clock } from './receiver/clock.js';
import {
  labelEvidence,
  proberApiSource,
  storeEvidence,
  type EvidenceSource,
} from './receiver/diagnosis/evidence-source.js';
import { EvidenceThread } from './receiver/diagnosis/evidence-thread.js';
import { ReceiverDiagnosis } from './receiver/diagnosis/receiver-diagnosis.js';
import { labelsDiagnosis } from './receiver/diagnosis/labels-diagnosis.js';
import { createReceiver, type Receiver } from './receiver/receiver.js';
import type { Silences } from './receiver/silences/alertmanager-silences.js';
import { openStore } from './store/open-store.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';

export interface ReceiverRoleOptions {
  config: VigilConfig;
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Overrides config.yml's `server.receiver_listen` (the --receiver-listen flag). */
  listen?: ListenAddress;
  /** Overrides config.yml's `data_dir` (the --data-dir flag). */
  dataDir?: string;
  /** A store shared with the prober; the role opens (and later closes) its own when absent. */
  store?: Store;
  /**
   * Whether a prober writes to `store` (`vigil start`); `vigil receiver` hands over a store of its own, whose results
   * are empty, so its evidence comes from `receiver.prober_url`. Default: whether a store is handed over.
   */
  storeSharedWithProber?: boolean;
  clock?: Clock;
  silences?: Silences;
  sweepPeriodMs?: number;
}

export class ReceiverRole {
  private constructor(
    readonly receiver: Receiver,
    private readonly server: HttpServer,
    private readonly store: Store,
    private readonly ownsStore: boolean,
    private readonly logger: Logger,
    /** Shared with the /-/ready route: true from the end of start to the beginning of close. */
    private readonly readiness: { ready: boolean },
    private readonly worker: OutboxWorker,
    private readonly diagnosis: ReceiverDiagnosis,
    /** The loaded configuration the diagnoses read checks and maintenance windows from; apply() replaces it. */
    private readonly loaded: { config: VigilConfig },
    /** Releases the evidence source's connections (the prober API's client). */
    private readonly closeEvidence: () => Promise<void>,
  ) {}

  /** Opens the store, starts the background work and listens; rejects when the store or the address fails. */
  static async start(options: ReceiverRoleOptions): Promise<ReceiverRole> {
    const { config, env, logger } = options;
    const { settings } = config;
    const webhookCredentials = webhookCredentialsFrom(settings.receiver.auth, env);
    const notifications = settings.notifications;
    const channels = channelRegistryFromEnv(env, notifications, { logger });
    if (channels.problems.length > 0) {
      throw new Error(
        `the environment configures a channel with unusable values:\n${channels.problems.map(formatEnvProblem).join('\n')}`,
      );
    }
    const store =
      options.store ??
      (await openStore(settings.storage, options.dataDir ?? settings.dataDir, {
        logger,
        checkpointInBackground: true,
      }));
    const listen = options.listen ?? settings.server.receiverListen;
    const clock = options.clock ?? systemClock;
    const loaded = { config };
    const evidence = evidenceSourceFor({
      store,
      sharedWithProber: (options.storeSharedWithProber ?? options.store !== undefined) || store.backend === 'postgres',
      loaded,
      adminToken: env['VIGIL_ADMIN_TOKEN'],
      logger,
    });
    const diagnosisMetrics = new DiagnosisMetrics({ aiConfigured: settings.ai !== undefined });
    const diagnosis = new ReceiverDiagnosis({
      alerts: store.alerts,
      metrics: diagnosisMetrics,
      evidence,
      labelsOnlySource: evidence === labelEvidence,
      ...(settings.ai === undefined ? {} : { ai: settings.ai }),
      ...(env['OPENAI_API_KEY'] ? { apiKey: env['OPENAI_API_KEY'] } : {}),
      now: () => clock.now(),
      logger,
    });
    // Known once the worker exists, which needs the receiver's metrics registry.
    let planned: (plan: NotificationPlan) => void = () => {};
    const receiver = createReceiver({
      alerts: store.alerts,
      settings: {
        receiver: { ...settings.receiver, externalUrl: settings.receiver.externalUrl ?? defaultExternalUrl(listen) },
        alertmanager: settings.alertmanager,
      },
      notifications: {
        outbox: store.outbox,
        route: (labels) => destinationsFor(labels, notifications, channels),
        onPlanned: (plan) => planned(plan),
      },
      ...(settings.retention.alertsMs === undefined ? {} : { alertRetentionMs: settings.retention.alertsMs }),
      onFiring: (alerts) => diagnosis.firing(alerts),
      ...(evidence === labelEvidence ? { diagnosisWhenNone: labelsDiagnosis } : {}),
      logger,
      clock,
      ...(options.silences === undefined ? {} : { silences: options.silences }),
      ...(options.sweepPeriodMs === undefined ? {} : { sweepPeriodMs: options.sweepPeriodMs }),
    });
    diagnosisMetrics.registerOn(receiver.metrics.registry);
    const deliveryMetrics = new DeliveryMetrics({
      registry: receiver.metrics.registry,
      outbox: store.outbox,
      logger,
      channels: channels.names(),
    });
    const worker = new OutboxWorker({
      store: store.outbox,
      channels: (name) => channels.channel(name),
      channelNames: channels.names(),
      policyOf: (name) => notifications.policies[name] ?? notifications.defaultPolicy,
      leaseMs: notifications.leaseMs,
      metrics: deliveryMetrics,
      logger,
      complete: (notification) => receiver.notificationLinks(notification),
      prepare: diagnosis.prepare,
      prepareLimitMs: diagnosis.prepareLimitMs,
    });
    planned = (plan) => {
      // Only the loops that got a job look again: a claim is a write transaction, and an idle channel's claim
      // after every notification (the console beside Slack) took the ingest's write lock for nothing.
      for (const destination of plan.send?.destinations ?? []) {
        if (destination.state === 'unconfigured') deliveryMetrics.unconfigured(destination.channel, 1);
        else worker.wake(destination.channel);
      }
    };
    const readiness = { ready: false };
    const listener = createReceiverListener({
      receiver,
      webhookCredentials,
      adminToken: env['VIGIL_ADMIN_TOKEN'] || undefined,
      isReady: () => readiness.ready,
      logger,
    });
    let server: HttpServer;
    try {
      server = await startHttpServer(listener, listen);
    } catch (error) {
      await evidence.close?.();
      if (options.store === undefined) await store.close();
      throw error;
    }
    const role = new ReceiverRole(
      receiver,
      server,
      store,
      options.store === undefined,
      logger,
      readiness,
      worker,
      diagnosis,
      loaded,
      async () => evidence.close?.(),
    );
    receiver.start();
    diagnosis.start();
    worker.start();
    readiness.ready = true;
    logger.info(
      {
        address: role.address,
        auth: settings.receiver.auth,
        silences: settings.alertmanager.url !== undefined,
        store: store.backend,
        channels: channels.names(),
        routes: notifications.seeded ? 'seeds' : notifications.routes.length,
        ai: settings.ai === undefined ? 'off' : settings.ai.model,
      },
      'receiver listening',
    );
    return role;
  }

  get address(): AddressInfo {
    return this.server.address;
  }

  /** A reloaded configuration: the diagnoses read its checks and maintenance windows from now on. */
  apply(config: VigilConfig): void {
    this.loaded.config = config;
  }

  /** Stops accepting, lets requests in flight finish (a few seconds at most), stops the jobs, closes its store. */
  async close(): Promise<void> {
    this.readiness.ready = false;
    await this.server.stop();
    await this.receiver.stop();
    // After ingest has stopped: nothing wakes it any more; what it has not sent waits in the outbox.
    await this.worker.stop();
    // Then the diagnoses, whose late AI answers are not stored: a restart asks again for the firings still open.
    await this.diagnosis.stop();
    await this.closeEvidence();
    if (this.ownsStore) await this.store.close();
    this.logger.info('receiver stopped');
  }
}

/**
 * Where the diagnoses' evidence comes from: the store, when the prober writes to it too (`vigil start` shares it, and
 * both roles on one PostgreSQL do), read on SQLite by a thread of its own; else the prober's HTTP API when
 * `receiver.prober_url` names it; else the alert's own labels.
 */
function evidenceSourceFor(options: {
  store: Store;
  sharedWithProber: boolean;
  loaded: { config: VigilConfig };
  adminToken: string | undefined;
  logger: Logger;
}): EvidenceSource & { close?(): Promise<void> } {
  const { store, loaded } = options;
  const checks = (): VigilConfig['checks'] => loaded.config.checks;
  const maintenance = (): VigilConfig['settings']['maintenance'] => loaded.config.settings.maintenance;
  if (options.sharedWithProber && store instanceof SqliteStore) {
    // PostgreSQL's reads wait on the network without holding the event loop; SQLite's would hold it.
    const thread = new EvidenceThread({ file: store.file, store, logger: options.logger });
    thread.start();
    return Object.assign(storeEvidence({ store, checks, maintenance, gather: thread.gather }), {
      close: () => thread.stop(),
    });
  }
  if (options.sharedWithProber) return storeEvidence({ store, checks, maintenance });
  const url = loaded.config.settings.receiver.proberUrl;
  if (url === undefined) return labelEvidence;
  return proberApiSource({
    url,
    checks,
    maintenance,
    ...(options.adminToken === undefined || options.adminToken === '' ? {} : { adminToken: options.adminToken }),
  });
}

/** Where people reach a receiver that was not told: this machine, on the port it listens on (none for port 0). */
function defaultExternalUrl(listen: ListenAddress): string | undefined {
  return listen.port === 0 ? undefined : localUrl(listen.host, listen.port);
}

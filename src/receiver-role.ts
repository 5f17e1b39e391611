// Wiring of the receiver role: config → store → receiver (ingest, lifecycle, history, enrichment, timeouts) → HTTP
// server. Like the Prober in app.ts, nothing here reaches a global; the CLI passes everything in. The store is
// opened here unless the caller shares one (`vigil start` runs both roles on one store).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ListenAddress, VigilConfig } from './config/types.js';
import { createReceiverListener } from './http/receiver-app.js';
import { webhookCredentialsFrom } from './receiver/api/auth.js';
import type { Clock } from './receiver/clock.js';
import { createReceiver, type Receiver } from './receiver/receiver.js';
import type { Silences } from './receiver/silences/alertmanager-silences.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

/** Slow clients may not hold a connection open for ever: Alertmanager sends a whole notification in well under this. */
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 5_000;

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
  clock?: Clock;
  silences?: Silences;
  sweepPeriodMs?: number;
}

export class ReceiverRole {
  private ready = false;

  private constructor(
    readonly receiver: Receiver,
    private readonly server: Server,
    private readonly store: Store,
    private readonly ownsStore: boolean,
    private readonly logger: Logger,
  ) {}

  /** Opens the store, starts the background work and listens; rejects when the store or the address fails. */
  static async start(options: ReceiverRoleOptions): Promise<ReceiverRole> {
    const { config, env, logger } = options;
    const { settings } = config;
    const webhookCredentials = webhookCredentialsFrom(settings.receiver.auth, env);
    const store =
      options.store ??
      (await openStore(settings.storage, options.dataDir ?? settings.dataDir, { logger, checkpointInBackground: true }));
    const receiver = createReceiver({
      alerts: store.alerts,
      settings: { receiver: settings.receiver, alertmanager: settings.alertmanager },
      ...(settings.retention.alertsMs === undefined ? {} : { alertRetentionMs: settings.retention.alertsMs }),
      logger,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.silences === undefined ? {} : { silences: options.silences }),
      ...(options.sweepPeriodMs === undefined ? {} : { sweepPeriodMs: options.sweepPeriodMs }),
    });
    let role: ReceiverRole | undefined;
    const listener = createReceiverListener({
      receiver,
      webhookCredentials,
      adminToken: env['VIGIL_ADMIN_TOKEN'] || undefined,
      isReady: () => role?.ready ?? false,
      logger,
    });
    const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS }, listener);
    role = new ReceiverRole(receiver, server, store, options.store === undefined, logger);
    try {
      await listen(server, options.listen ?? settings.server.receiverListen);
    } catch (error) {
      if (role.ownsStore) await store.close();
      throw error;
    }
    receiver.start();
    role.ready = true;
    logger.info(
      { address: role.address, auth: settings.receiver.auth, silences: settings.alertmanager.url !== undefined, store: store.backend },
      'receiver listening',
    );
    return role;
  }

  get address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  /** Stops accepting, lets requests in flight finish (a few seconds at most), stops the jobs, closes its store. */
  async close(): Promise<void> {
    this.ready = false;
    const server = this.server;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref();
    });
    await this.receiver.stop();
    if (this.ownsStore) await this.store.close();
    this.logger.info('receiver stopped');
  }
}

async function listen(server: Server, address: ListenAddress): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

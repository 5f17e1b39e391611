// Wiring of the prober role: probe thread → result pipeline (store, incidents, metrics) → SLA service and the refresh
// of its metrics, rollup and retention jobs → HTTP server (metrics, API, status page). The configuration and the
// store come from the caller.

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ListenAddress, VigilConfig } from './config/types.js';
import type { CheckDefinition } from './model/check.js';
import { proberApi } from './http/prober/api.js';
import { createProberApp, type ProberView, type ReloadOutcome } from './http/prober/app.js';
import { statusRoutes } from './http/prober/status-routes.js';
import { rawMessageAccess } from './http/raw-messages.js';
import { startHttpServer, type HttpServer } from './http/server.js';
import { IncidentTracker } from './results/incident-tracker.js';
import { MaintenanceCalendar } from './maintenance/calendar.js';
import { CheckMetrics } from './metrics/check-metrics.js';
import { ProberMetrics } from './metrics/prober-registry.js';
import type { CheckResult, CheckStatus } from './model/result.js';
import { ResultPipeline } from './results/result-pipeline.js';
import { ProbeThread } from './schedule/probe-thread.js';
import { RollupJob } from './sla/rollup-job.js';
import { SlaRefresh } from './sla/sla-refresh.js';
import { SlaService } from './sla/sla-service.js';
import { storeStatusSource } from './status/store-status-source.js';
import { ResultWriter } from './store/result-writer.js';
import { RetentionJob } from './store/retention-job.js';
import type { Store, StoredResult } from './store/store.js';

export interface ProberRoleOptions {
  config: VigilConfig;
  store: Store;
  logger: Logger;
  /** Overrides config.yml's `server.prober_listen` (the --prober-listen flag). */
  listen?: ListenAddress;
  adminToken: string | undefined;
  /** Reloads the whole process's configuration (POST /-/reload). */
  reload: () => Promise<ReloadOutcome>;
}

/** A latest result older than this many intervals says nothing about now. */
const STALE_AFTER_INTERVALS = 3;
/** Incidents closed this recently may still reopen after a restart. */
const REOPEN_WINDOW_MS = 5 * 60_000;

export class Prober implements ProberView {
  private config: VigilConfig;
  private checksById = new Map<string, CheckDefinition>();
  private readonly calendar = new MaintenanceCalendar();
  private readonly checkMetrics = new CheckMetrics((checkId, now) => this.calendar.inMaintenance(checkId, now));
  private readonly metrics = new ProberMetrics(this.checkMetrics, () => this.thread.latestStats);
  private readonly writer: ResultWriter;
  private readonly sla: SlaService;
  private readonly rollups: RollupJob;
  private readonly retention: RetentionJob;
  private readonly slaRefresh: SlaRefresh;
  private readonly thread: ProbeThread;
  private pipeline!: ResultPipeline;
  private server: HttpServer | undefined;
  private ready = false;

  private constructor(private readonly options: ProberRoleOptions) {
    const { store, logger } = options;
    this.config = options.config;
    this.writer = new ResultWriter({ store, logger });
    this.sla = new SlaService({ store });
    this.rollups = new RollupJob({
      store,
      logger,
      checks: () => this.config.checks,
      maintenance: () => this.config.settings.maintenance,
    });
    this.retention = new RetentionJob({ store, logger, retention: () => this.config.settings.retention });
    this.slaRefresh = new SlaRefresh({
      figures: () => this.sla.metricsFigures(),
      publish: (checkId, figures) => this.checkMetrics.setSla(checkId, figures),
      logger,
    });
    this.thread = new ProbeThread({ logger, onResults: (results) => this.pipeline.handle(results) });
  }

  /** Restores state from the store, starts probing and the jobs, and listens. */
  static async start(options: ProberRoleOptions): Promise<Prober> {
    const prober = new Prober(options);
    await prober.restore();
    prober.apply(options.config);
    try {
      await prober.listen();
    } catch (error) {
      // The probe thread is running already: stop it, or it keeps the process alive after a failed start.
      await prober.close();
      throw error;
    }
    prober.rollups.start();
    prober.retention.start();
    // SLA figures first after the catch-up of rollups, so they read rollups rather than raw results.
    void prober.rollups
      .runOnce()
      .catch((error: unknown) => options.logger.error({ err: error }, 'rollups: first run failed'))
      .then(() => prober.slaRefresh.start());
    prober.ready = true;
    return prober;
  }

  get address(): AddressInfo {
    return this.server!.address;
  }

  /** Applies a new, already validated configuration. */
  apply(config: VigilConfig): void {
    this.config = config;
    const { checks, settings, statusPage } = config;
    this.checksById = new Map(checks.map((check) => [check.id, check]));
    this.calendar.setConfig(settings.maintenance, checks);
    this.pipeline.retain(new Set(checks.map((check) => check.id)));
    this.checkMetrics.setChecks(checks, settings.sla.targetPercent);
    this.sla.setConfig({ checks, sla: settings.sla, statusPage, maintenance: settings.maintenance });
    this.thread.setChecks(checks, settings.prober.maxConcurrency);
  }

  reload(): Promise<ReloadOutcome> {
    return this.options.reload();
  }

  /** Stops listening and probing, writes what is buffered, stops the jobs. The store is the caller's to close. */
  async close(): Promise<void> {
    this.ready = false;
    const slaRefreshStopped = this.slaRefresh.stop();
    await this.server?.stop();
    await this.thread.stop();
    await Promise.all([this.rollups.stop(), this.retention.stop(), slaRefreshStopped]);
    await this.writer
      .close()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'results lost on shutdown'));
  }

  metricsChunks(): Promise<Iterable<string>> {
    return this.metrics.renderChunks();
  }

  isReady(): boolean {
    return this.ready;
  }

  checks(): readonly CheckDefinition[] {
    return this.config.checks;
  }

  latest(checkId: string): StoredResult | undefined {
    return this.pipeline.latest(checkId);
  }

  /** The latest result's status while it is fresh (restored ones too, so a restart does not blank the page). */
  status(checkId: string): CheckStatus {
    const latest = this.pipeline.latest(checkId);
    const check = this.checksById.get(checkId);
    if (!latest || !check?.enabled) return 'unknown';
    const staleAfter = STALE_AFTER_INTERVALS * check.intervalMs + check.timeoutMs;
    return Date.now() - latest.finishedAt <= staleAfter ? latest.status : 'unknown';
  }

  private async restore(): Promise<void> {
    const { store, logger } = this.options;
    const [latest, open, recent] = await Promise.all([
      store.latestResults(),
      store.listIncidents({ openOnly: true }),
      store.listIncidents({ since: Date.now() - REOPEN_WINDOW_MS }),
    ]);
    const incidents = new IncidentTracker({ newId: randomUUID }, [...open, ...recent]);
    this.pipeline = new ResultPipeline({
      store,
      writer: this.writer,
      incidents,
      metrics: this.checkMetrics,
      inMaintenance: (checkId, at) => this.calendar.inMaintenance(checkId, at),
      logger,
    });
    this.pipeline.restore(latest);
    logger.info({ results: latest.length, openIncidents: open.length }, 'prober state restored from the store');
  }

  private async listen(): Promise<void> {
    const { store, adminToken, logger } = this.options;
    const status = storeStatusSource({
      config: () => this.config,
      latest: (checkId) => this.latest(checkId),
      status: (checkId) => this.status(checkId),
      sla: this.sla,
      store,
      calendar: this.calendar,
    });
    const rawMessages = rawMessageAccess(adminToken, () => this.config.statusPage.rawMessages === true);
    const api = proberApi({
      checks: () => this.config.checks,
      results: (checkId, query) => store.listResults(checkId, query),
      firstResultAt: (checkId) => store.firstResultAt([checkId]),
      slaReports: (window, checkIds) => this.sla.checkReports(window, checkIds),
      incidents: (query) => store.listIncidents(query),
      push: (result: CheckResult) => this.pipeline.handle([result]),
      adminToken,
      rawMessages,
    });
    const app = createProberApp(this, logger, [api, statusRoutes(status, adminToken)], rawMessages);
    this.server = await startHttpServer(app, this.options.listen ?? this.config.settings.server.proberListen);
    logger.info({ address: this.address, store: store.backend }, 'prober listening');
  }
}

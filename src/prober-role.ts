// Wiring of the prober role: probe thread and push watch → result pipeline (store, incidents, metrics) → SLA service
// and the refresh of its metrics, rollup and retention jobs → HTTP server (metrics, API, status page, results from
// outside: synthetic checks and pings, badges). The configuration and the store come from the caller.

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ListenAddress, VigilConfig } from './config/types.js';
import type { CheckDefinition, PushCheck } from './model/check.js';
import { readPushToken } from './config/push-tokens.js';
import { badgeRoutes } from './http/prober/badge-routes.js';
import { pushRoute } from './http/prober/push-route.js';
import { syntheticRoute } from './http/prober/synthetic-route.js';
import { isProbedCheck } from './probe/index.js';
import { externalResults, type ExternalReport } from './results/external-results.js';
import { PushWatch } from './schedule/push-watch.js';
import { proberApi } from './http/prober/api.js';
import { createProberApp, type ProberView, type ReloadOutcome } from './http/prober/app.js';
import { publicCheckIds } from './http/prober/check-visibility.js';
import { statusRoutes } from './http/prober/status-routes.js';
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
import type { StatusSource } from './status/status-source.js';
import { buildStatusView } from './status/status-view.js';
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
  /** Where push checks' `token_env` variables are read. */
  env: Record<string, string | undefined>;
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
  private publicChecks: ReadonlySet<string> = new Set();
  private readonly calendar = new MaintenanceCalendar();
  private readonly checkMetrics = new CheckMetrics((checkId, now) => this.calendar.inMaintenance(checkId, now));
  private readonly metrics = new ProberMetrics(this.checkMetrics, () => this.thread.latestStats);
  private readonly writer: ResultWriter;
  private readonly sla: SlaService;
  private readonly rollups: RollupJob;
  private readonly retention: RetentionJob;
  private readonly slaRefresh: SlaRefresh;
  private readonly thread: ProbeThread;
  private readonly pushWatch: PushWatch;
  /** Push check id → its token, read at each (re)load; never logged or shown. */
  private pushTokens = new Map<string, string>();
  /** The stored last-heard times, read once at start for the push watch. */
  private restoredHeard = new Map<string, number>();
  private pipeline!: ResultPipeline;
  private server: HttpServer | undefined;
  private ready = false;
  private closing = false;
  /** The status page's data, built when the server starts listening. */
  private statusSource!: StatusSource;
  /** Configurations applied and incidents saved: a rendered status page is out of date at once when this moves on. */
  private changes = 0;
  /** Batches of results handled: a rendered status page may stay a few seconds behind these. */
  private resultBatches = 0;

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
    this.thread = new ProbeThread({ logger, onResults: (results) => this.handleResults(results) });
    this.pushWatch = new PushWatch({ onMissed: (result) => this.handleResults([result]) });
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
      .then(() => prober.warmUp());
    return prober;
  }

  /**
   * Computes what the first scrape and the first status page visitor would otherwise wait for (the SLA figures of
   * every check, the status page's uptime figures and daily bars), then reports ready: a load balancer or `vigil
   * stack` sends them here only then. Probing and the API run meanwhile; a failure is logged and Vigil is ready all
   * the same, the figures being computed again on demand.
   */
  private async warmUp(): Promise<void> {
    const started = performance.now();
    try {
      await buildStatusView(this.statusSource, { includePrivate: true });
    } catch (error) {
      // A shutdown during the warm-up may close the store under it: nothing to report then.
      if (!this.closing) this.options.logger.warn({ err: error }, 'status page figures: first computation failed');
    }
    await this.slaRefresh.start();
    if (this.closing) return;
    this.ready = true;
    this.options.logger.debug({ ms: Math.round(performance.now() - started) }, 'SLA and status page figures computed');
  }

  get address(): AddressInfo {
    return this.server!.address;
  }

  /** Applies a new, already validated configuration. */
  apply(config: VigilConfig): void {
    this.changes++;
    this.config = config;
    const { checks, settings, statusPage } = config;
    this.checksById = new Map(checks.map((check) => [check.id, check]));
    this.publicChecks = publicCheckIds(statusPage);
    this.calendar.setConfig(settings.maintenance, checks);
    this.pipeline.retain(new Set(checks.map((check) => check.id)));
    this.checkMetrics.setChecks(checks, settings.sla.targetPercent);
    this.sla.setConfig({ checks, sla: settings.sla, statusPage, maintenance: settings.maintenance });
    this.thread.setChecks(checks.filter(isProbedCheck), settings.prober.maxConcurrency);
    const pushChecks = checks.filter((check): check is PushCheck => check.type === 'push');
    this.pushTokens = this.readPushTokens(pushChecks);
    this.pushWatch.setChecks(pushChecks, (checkId) => ({
      ...(this.restoredHeard.has(checkId) ? { lastHeardAt: this.restoredHeard.get(checkId)! } : {}),
      ...(this.pipeline.latest(checkId) ? { latest: this.pipeline.latest(checkId)! } : {}),
    }));
    for (const check of pushChecks) {
      const heardAt = this.pushWatch.lastHeardAt(check.id);
      if (heardAt !== undefined) this.checkMetrics.setLastHeard(check.id, heardAt);
    }
  }

  /** When a push check's job was last heard from; undefined for other checks and before the first ping. */
  lastHeardAt(checkId: string): number | undefined {
    return this.pushWatch.lastHeardAt(checkId);
  }

  /**
   * Results from outside the probe thread (a runner's batch, a push check's ping): in time order through the
   * pipeline; a push check counts as heard from at its newest one.
   */
  acceptReports(reports: readonly ExternalReport[]): void {
    const results = externalResults(reports, Date.now(), (id) => this.pipeline.latest(id)?.consecutiveFailures ?? 0);
    this.handleResults(results);
    const newest = new Map<string, number>();
    for (const result of results) {
      if (this.checksById.get(result.checkId)?.type !== 'push') continue;
      newest.set(result.checkId, Math.max(newest.get(result.checkId) ?? 0, result.finishedAt));
    }
    for (const [checkId, heardAt] of newest) this.heard(checkId, heardAt);
  }

  /** Every result goes through here: the status page's revision moves on with each batch. */
  private handleResults(results: readonly CheckResult[]): void {
    this.resultBatches++;
    this.pipeline.handle(results);
  }

  private heard(checkId: string, heardAt: number): void {
    const before = this.pushWatch.lastHeardAt(checkId);
    if (before !== undefined && heardAt <= before) return;
    this.pushWatch.heard(checkId, heardAt);
    this.checkMetrics.setLastHeard(checkId, heardAt);
    this.options.store.savePushHeard(checkId, heardAt).catch((error: unknown) => {
      this.options.logger.error({ err: error, check: checkId }, 'could not save when a push check was heard');
    });
  }

  /** A token that cannot be read (the variable unset since the config was checked) leaves the check refusing pings. */
  private readPushTokens(checks: readonly PushCheck[]): Map<string, string> {
    const tokens = new Map<string, string>();
    for (const check of checks) {
      const read = readPushToken(check.token, this.options.env);
      if (read.ok) tokens.set(check.id, read.token);
      else this.options.logger.error({ check: check.id, problem: read.problem }, 'push check token unavailable');
    }
    return tokens;
  }

  reload(): Promise<ReloadOutcome> {
    return this.options.reload();
  }

  /** Stops listening and probing, writes what is buffered, stops the jobs. The store is the caller's to close. */
  async close(): Promise<void> {
    this.closing = true;
    this.ready = false;
    const slaRefreshStopped = this.slaRefresh.stop();
    await this.server?.stop();
    await this.thread.stop();
    this.pushWatch.stop();
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
    const [latest, open, recent, heard] = await Promise.all([
      store.latestResults(),
      store.listIncidents({ openOnly: true }),
      store.listIncidents({ since: Date.now() - REOPEN_WINDOW_MS }),
      store.pushLastHeard(),
    ]);
    this.restoredHeard = heard;
    const incidents = new IncidentTracker({ newId: randomUUID }, [...open, ...recent]);
    this.pipeline = new ResultPipeline({
      // A saved incident changes the status page as its result did, but only once it is in the store it is read from.
      store: { saveIncident: (incident) => store.saveIncident(incident).finally(() => this.changes++) },
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
    const status = (this.statusSource = storeStatusSource({
      config: () => this.config,
      latest: (checkId) => this.latest(checkId),
      status: (checkId) => this.status(checkId),
      sla: this.sla,
      store,
      calendar: this.calendar,
      changes: () => this.changes,
      resultBatches: () => this.resultBatches,
    }));
    const api = proberApi({
      checks: () => this.config.checks,
      publicCheckIds: () => this.publicChecks,
      latest: (checkId) => this.latest(checkId),
      status: (checkId) => this.status(checkId),
      results: (checkId, query) => store.listResults(checkId, query),
      firstResultAt: (checkId) => store.firstResultAt([checkId]),
      slaReports: (window, checkIds) => this.sla.checkReports(window, checkIds),
      incidents: (query) => store.listIncidents(query),
      lastHeardAt: (checkId) => this.lastHeardAt(checkId),
      adminToken,
      rawMessagesForEveryone: () => this.config.statusPage.rawMessages === true,
    });
    const synthetic = syntheticRoute({
      checks: () => this.config.checks,
      accept: (reports) => this.acceptReports(reports),
      resultsKeptMs: () => this.config.settings.retention.resultsMs,
      adminToken,
    });
    const push = pushRoute({
      pushCheck: (checkId) => {
        const check = this.checksById.get(checkId);
        return check?.type === 'push' ? check : undefined;
      },
      token: (checkId) => this.pushTokens.get(checkId),
      accept: (reports) => this.acceptReports(reports),
    });
    const badges = badgeRoutes({
      checks: () => this.config.checks,
      publicCheckIds: () => this.publicChecks,
      status: (checkId) => this.status(checkId),
      slaReport: async (window, checkId) => (await this.sla.checkReports(window, [checkId])).get(checkId),
      results: (checkId, query) => store.listResults(checkId, query),
    });
    const app = createProberApp(this, {
      logger,
      adminToken,
      routers: [api, synthetic, push, badges, statusRoutes(status, adminToken)],
    });
    this.server = await startHttpServer(app, this.options.listen ?? this.config.settings.server.proberListen);
    logger.info({ address: this.address, store: store.backend }, 'prober listening');
  }
}

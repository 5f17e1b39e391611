// Wiring of the prober role: config → probe thread → metrics → HTTP server. Nothing here reaches a global; the CLI
// passes everything in.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { formatProblem, loadConfig } from './config/index.js';
import type { CheckDefinition, ListenAddress, VigilConfig } from './config/types.js';
import { createProberApp, type ProberView, type ReloadOutcome } from './http/prober-app.js';
import { CheckMetrics } from './metrics/check-metrics.js';
import { ProberMetrics } from './metrics/prober-registry.js';
import type { CheckResult, CheckStatus } from './probe/types.js';
import { ProbeThread } from './schedule/probe-thread.js';

export interface ProberOptions {
  configDir: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Overrides config.yml's `server.prober_listen` (the --prober-listen flag). */
  listen?: ListenAddress;
}

export type LoadedConfig = { ok: true; config: VigilConfig } | { ok: false; problems: string[] };

export function loadFormatted(configDir: string, env: Record<string, string | undefined>): LoadedConfig {
  const result = loadConfig({ configDir, env });
  if (result.ok) return result;
  return { ok: false, problems: result.problems.map(formatProblem) };
}

export class Prober implements ProberView {
  private config: VigilConfig;
  private readonly checkMetrics = new CheckMetrics();
  private readonly metrics = new ProberMetrics(this.checkMetrics);
  private readonly latestResults = new Map<string, CheckResult>();
  private readonly thread: ProbeThread;
  private server: Server | undefined;
  private ready = false;

  private constructor(
    private readonly options: ProberOptions,
    config: VigilConfig,
  ) {
    this.config = config;
    this.thread = new ProbeThread({ logger: options.logger, onResults: (results) => this.record(results) });
  }

  /** Loads the configuration, starts probing and listens. Rejects with the problems when the config is invalid. */
  static async start(options: ProberOptions): Promise<Prober> {
    const loaded = loadFormatted(options.configDir, options.env);
    if (!loaded.ok) throw new ConfigInvalidError(loaded.problems);
    const prober = new Prober(options, loaded.config);
    prober.apply(loaded.config);
    await prober.listen();
    prober.ready = true;
    return prober;
  }

  get address(): AddressInfo {
    return this.server!.address() as AddressInfo;
  }

  async reload(): Promise<ReloadOutcome> {
    const loaded = loadFormatted(this.options.configDir, this.options.env);
    if (!loaded.ok) {
      this.options.logger.error({ problems: loaded.problems }, 'configuration refused, keeping the previous one');
      return { ok: false, problems: loaded.problems };
    }
    this.apply(loaded.config);
    this.options.logger.info({ checks: loaded.config.checks.length }, 'configuration reloaded');
    return { ok: true, problems: [] };
  }

  async close(): Promise<void> {
    this.ready = false;
    const server = this.server;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
    }
    await this.thread.stop();
  }

  renderMetrics(): Promise<string> {
    return this.metrics.render();
  }

  isReady(): boolean {
    return this.ready;
  }

  checks(): readonly CheckDefinition[] {
    return this.config.checks;
  }

  latest(checkId: string): CheckResult | undefined {
    return this.latestResults.get(checkId);
  }

  status(checkId: string): CheckStatus {
    return this.checkMetrics.statuses().get(checkId) ?? 'unknown';
  }

  private apply(config: VigilConfig): void {
    this.config = config;
    const ids = new Set(config.checks.map((check) => check.id));
    for (const id of this.latestResults.keys()) if (!ids.has(id)) this.latestResults.delete(id);
    this.checkMetrics.setChecks(config.checks, config.settings.sla.targetPercent);
    this.thread.setChecks(config.checks, config.settings.prober.maxConcurrency);
  }

  private record(results: CheckResult[]): void {
    for (const result of results) {
      const previous = this.latestResults.get(result.checkId);
      this.latestResults.set(result.checkId, result);
      this.checkMetrics.observe(result);
      if (previous?.status !== result.status) {
        this.options.logger.info(
          { check: result.checkId, status: result.status, reason: result.reason, message: result.message },
          'check status changed',
        );
      }
    }
  }

  private async listen(): Promise<void> {
    const { host, port } = this.options.listen ?? this.config.settings.server.proberListen;
    const server = createServer(createProberApp(this, this.options.logger));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.options.logger.info({ address: this.address }, 'prober listening');
  }
}

export class ConfigInvalidError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration invalid:\n${problems.join('\n')}`);
  }
}

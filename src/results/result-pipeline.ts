// Where judged results go on the main thread: flagged for maintenance, queued for the store, fed to the incident
// tracker, counted in the metrics. One result, one pass, in arrival order. A result older than the check's latest
// (a runner's late backlog) is only stored: the current status, metrics and incidents have moved on.

import type { Logger } from 'pino';
import type { CheckMetrics } from '../metrics/check-metrics.js';
import type { CheckResult } from '../model/result.js';
import type { ResultWriter } from '../store/result-writer.js';
import type { Store, StoredResult } from '../store/store.js';
import { FlapGuard } from './flap-guard.js';
import type { IncidentTracker } from './incident-tracker.js';

export interface ResultPipelineOptions {
  store: Pick<Store, 'saveIncident'>;
  writer: ResultWriter;
  incidents: IncidentTracker;
  metrics: CheckMetrics;
  /** Whether the check is inside a maintenance window at that time. */
  inMaintenance: (checkId: string, at: number) => boolean;
  logger: Logger;
}

export class ResultPipeline {
  private readonly latestResults = new Map<string, StoredResult>();
  private readonly flaps = new FlapGuard();

  constructor(private readonly options: ResultPipelineOptions) {}

  /** The prober's memory after a restart: the last stored result of every check. */
  restore(latest: readonly StoredResult[]): void {
    for (const result of latest) this.latestResults.set(result.checkId, result);
  }

  latest(checkId: string): StoredResult | undefined {
    return this.latestResults.get(checkId);
  }

  /** Forgets checks that are no longer configured. */
  retain(checkIds: ReadonlySet<string>): void {
    for (const id of this.latestResults.keys()) if (!checkIds.has(id)) this.latestResults.delete(id);
    this.flaps.retain(checkIds);
  }

  handle(results: readonly CheckResult[]): void {
    const { writer, incidents, metrics, logger } = this.options;
    const counted: StoredResult[] = [];
    for (const result of results) {
      // The result is ours (it came off the probe thread's message); a new field keeps its hidden class shared (copy-with.ts).
      const stored: StoredResult = Object.assign(result, {
        inMaintenance: this.options.inMaintenance(result.checkId, result.startedAt),
      });
      const previous = this.latestResults.get(result.checkId);
      if (previous !== undefined && stored.startedAt < previous.startedAt) {
        // An outside runner's backlog from before the check's latest result: history for the SLA, not news.
        writer.add(stored);
        continue;
      }
      this.latestResults.set(result.checkId, stored);
      writer.add(stored);
      metrics.observe(stored);
      // A failure inside a maintenance window is expected: it opens no incident.
      if (!stored.inMaintenance) counted.push(stored);
      if (previous?.status !== stored.status) this.logChange(stored);
    }
    for (const incident of incidents.observe(counted)) {
      this.options.store.saveIncident(incident).catch((error: unknown) => {
        logger.error({ err: error, incident: incident.id, check: incident.checkId }, 'could not save incident');
      });
    }
  }

  private logChange(result: StoredResult): void {
    const fields = {
      check: result.checkId,
      status: result.status,
      reason: result.reason,
      message: result.message,
      maintenance: result.inMaintenance,
    };
    const level = this.flaps.change(result.checkId, result.finishedAt);
    if (level === 'debug') this.options.logger.debug(fields, 'check status changed');
    else if (level === 'info') this.options.logger.info(fields, 'check status changed');
    else {
      this.options.logger.info(
        { ...fields, flapping: true },
        'check status changed; it is flapping, so its changes are logged at debug level until it settles',
      );
    }
  }
}

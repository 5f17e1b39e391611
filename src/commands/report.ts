// `vigil report`: uptime over a period from the store of a Vigil, as /api/v1/sla figures it (the same SLA service,
// so maintenance is excluded the same way), per service, per component and overall, with the worst offenders, the
// period's incidents, the error budget left and a few sentences of insight (the AI's when one is configured and
// answers in time, built from the figures otherwise).

import type { VigilConfig } from '../config/index.js';
import { SLA_WINDOW_NAMES, type SlaWindow } from '../model/sla-window.js';
import { checkTarget } from '../sla/report.js';
import { SlaService } from '../sla/sla-service.js';
import { isSlaWindow, windowRange } from '../sla/windows.js';
import type { Store } from '../store/store.js';
import { aiInsight } from './report-ai.js';
import { reportFigures, type ReportFigures } from './report-figures.js';
import { insightSentences } from './report-insight.js';

export interface Insight {
  text: string;
  source: 'ai' | 'figures';
  /** With source `figures` when an AI is configured: why its text is not the one shown. */
  fallbackReason?: string;
}

export interface Report {
  figures: ReportFigures;
  insight: Insight;
  /** Incidents read at most; the list says when it was cut there. */
  incidentsTruncated: boolean;
}

export interface ReportOptions {
  config: VigilConfig;
  store: Store;
  env: Record<string, string | undefined>;
  period: SlaWindow;
  now: number;
}

/** The periods a report covers: the SLA windows of /api/v1/sla. */
export const REPORT_PERIODS = SLA_WINDOW_NAMES;
export const isReportPeriod = isSlaWindow;

/** Incidents read for one report at most: a period with more is summarised from the newest ones. */
export const MAX_INCIDENTS = 1_000;

export async function buildUptimeReport(options: ReportOptions): Promise<Report> {
  const { config, store, period, now } = options;
  const { settings, statusPage, checks } = config;
  const sla = new SlaService({ store, now: () => now });
  sla.setConfig({ checks, sla: settings.sla, statusPage, maintenance: settings.maintenance });
  const { from, to } = windowRange(period, now);
  const [summaries, incidents] = await Promise.all([
    sla.checkSummaries(period),
    store.listIncidents({ since: from, limit: MAX_INCIDENTS }),
  ]);
  const figures = reportFigures({
    period,
    from,
    to,
    checks,
    summaries,
    targets: new Map(checks.map((check) => [check.id, checkTarget(check.id, settings.sla, statusPage)])),
    sla: settings.sla,
    incidents,
  });
  return { figures, insight: await insight(figures, options), incidentsTruncated: incidents.length >= MAX_INCIDENTS };
}

async function insight(figures: ReportFigures, options: ReportOptions): Promise<Insight> {
  const built = insightSentences(figures).join(' ');
  const { ai } = options.config.settings;
  if (ai === undefined) return { text: built, source: 'figures' };
  const answer = await aiInsight(figures, ai, options.env['OPENAI_API_KEY']);
  if (answer.ok) return { text: answer.text, source: 'ai' };
  return { text: built, source: 'figures', fallbackReason: answer.reason };
}

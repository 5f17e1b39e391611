// The enrichment of one alert: what is stored with it (priority, category, impact, from the alert and how many
// checks share it; the diagnosis once it has run) and what is derived whenever it is shown (links, and the
// recommendations: the diagnosis's, or the category's list while there is no diagnosis yet).

import type { AlertEnrichment, AlertRecord, Priority } from '../../model/alert.js';
import type { AlertDiagnosis } from '../../model/diagnosis.js';
import type { Clock } from '../clock.js';
import { categoryOf, impactOf, recommendationsFor } from './classify.js';
import { type AlertLinks, type LinkSettings, linksFor } from './links.js';
import { computePriority, overageOf } from './priority.js';

/** Shown until a diagnosis exists; `pending` tells readers nothing has looked at the alert yet. */
export const PENDING_DIAGNOSIS: AlertDiagnosis = {
  summary: 'no diagnosis yet',
  probable_cause: null,
  evidence: [],
  recommendations: [],
  confidence: 'low',
  source: 'rules',
  pending: true,
};

/** Counting affected checks stops here: priority and impact only need to know it is many. */
export const AFFECTED_CHECKS_CAP = 1_000;

export function enrich(alert: AlertRecord, affectedChecks: number, now: number): AlertEnrichment {
  const category = categoryOf(alert.alertname, alert.labels);
  const overage = overageOf(alert.annotations, alert.labels);
  return {
    priority: computePriority({
      severity: alert.severity,
      affectedChecks,
      ...(overage === undefined ? {} : { overage }),
    }),
    category,
    impact: impactOf(category, alert.labels, affectedChecks),
    enrichedAt: now,
  };
}

/** How an alert is enriched, given how many checks share it: what ingest and the enrichment worker apply. */
export interface EnrichmentRule {
  /** Counting affected checks stops here. */
  affectedChecksCap: number;
  /** `affectedChecks`: distinct checks with an open alert of the alert's name, this one included; 1 to the cap. */
  enrich(alert: AlertRecord, affectedChecks: number): AlertEnrichment;
}

/** The enrichment ingest writes with each new alert, and the enrichment worker with alerts stored without one. */
export function alertEnrichment(clock: Clock): EnrichmentRule {
  return {
    affectedChecksCap: AFFECTED_CHECKS_CAP,
    enrich: (alert, affectedChecks) => enrich(alert, affectedChecks, clock.now()),
  };
}

/** What showing an alert needs: where its links point, and what stands for a diagnosis none stored. */
export interface ViewSettings extends LinkSettings {
  /** A receiver whose evidence is the labels alone makes their diagnosis when it shows an alert, never stores it. */
  diagnosisWhenNone?: (alert: AlertRecord) => AlertDiagnosis;
}

/** An enrichment as the API shows it (and a delivery will send it). */
export interface EnrichmentView {
  priority: Priority;
  category: string;
  impact: string;
  recommendations: string[];
  diagnosis: AlertDiagnosis;
  links: AlertLinks;
}

/**
 * The diagnosis owns the recommendations (when no rule fits it carries the category's list itself); the category's
 * list stands in only until a diagnosis exists.
 */
export function enrichmentView(alert: AlertRecord, enrichment: AlertEnrichment, view: ViewSettings): EnrichmentView {
  const stored = enrichment.diagnosis;
  const diagnosis = stored !== undefined && stored.pending !== true ? stored : view.diagnosisWhenNone?.(alert);
  const diagnosed = diagnosis !== undefined;
  return {
    priority: enrichment.priority,
    category: enrichment.category,
    impact: enrichment.impact,
    recommendations: diagnosed
      ? [...diagnosis.recommendations]
      : recommendationsFor(categoryOf(alert.alertname, alert.labels), alert.annotations),
    diagnosis: diagnosed ? diagnosis : PENDING_DIAGNOSIS,
    links: linksFor(alert, view),
  };
}

// The enrichment of one alert, computed from the alert and how many checks share it: priority, category, impact,
// recommendations, links, and the diagnosis placeholder that the diagnosis module replaces once it has run.

import type { AlertDiagnosis, AlertEnrichment, AlertRecord } from '../../store/alert-store.js';
import { categoryOf, impactOf, recommendationsFor } from './classify.js';
import { type LinkSettings, linksFor } from './links.js';
import { computePriority, overageOf } from './priority.js';

/** Written until a diagnosis exists; `pending` tells readers nothing has looked at the alert yet. */
export const PENDING_DIAGNOSIS: AlertDiagnosis = {
  summary: 'no diagnosis yet',
  probable_cause: null,
  evidence: [],
  recommendations: [],
  confidence: 'low',
  source: 'rules',
  pending: true,
};

export function enrich(alert: AlertRecord, affectedChecks: number, links: LinkSettings, now: number): AlertEnrichment {
  const category = categoryOf(alert.alertname, alert.labels);
  const overage = overageOf(alert.annotations, alert.labels);
  return {
    priority: computePriority({ severity: alert.severity, affectedChecks, ...(overage === undefined ? {} : { overage }) }),
    category,
    impact: impactOf(category, alert.labels, affectedChecks),
    recommendations: recommendationsFor(category, alert.annotations),
    diagnosis: PENDING_DIAGNOSIS,
    links: linksFor(alert, links),
    enrichedAt: now,
  };
}

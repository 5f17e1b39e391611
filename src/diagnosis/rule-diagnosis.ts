// The rule-based diagnosis of an alert: every rule family on every check of the evidence, the findings ranked by
// confidence and then specificity, the first one as the probable cause and the others' evidence kept beside it.
// When no rule fits, "insufficient evidence" with what was looked at. Pure and deterministic: the same evidence
// always gives the same diagnosis.

import type { AlertDiagnosis, CheckEvidence, Confidence, DiagnosisEvidence, Finding } from '../model/diagnosis.js';
import { checkLabel, formatTime, plural } from './rules/facts.js';
import { FAMILIES, rules } from './rules/index.js';

/** Recommendations kept at most: the first few are what a person acts on. */
const MAX_RECOMMENDATIONS = 8;

const CONFIDENCE_RANK: Readonly<Record<Confidence, number>> = { high: 3, medium: 2, low: 1 };

export interface RuleDiagnosisOptions {
  /**
   * What to recommend when no rule fits: the receiver passes the alert category's list (enrichment/classify.ts),
   * which stays the fallback.
   */
  fallbackRecommendations?: readonly string[];
  /** The evidence's findings when the caller has them already (ruleFindings): the rules are not run again. */
  findings?: readonly Finding[];
}

/** Every finding of every rule on every check, best first. */
export function ruleFindings(evidence: DiagnosisEvidence): Finding[] {
  const found: Array<{ finding: Finding; order: number }> = [];
  evidence.checks.forEach((check, checkIndex) => {
    FAMILIES.forEach((family, familyIndex) => {
      const finding = rules[family](check, evidence);
      if (finding !== undefined) found.push({ finding, order: familyIndex * evidence.checks.length + checkIndex });
    });
  });
  return found
    .sort((a, b) => CONFIDENCE_RANK[b.finding.confidence] - CONFIDENCE_RANK[a.finding.confidence] || a.order - b.order)
    .map((entry) => entry.finding);
}

export function diagnoseWithRules(evidence: DiagnosisEvidence, options: RuleDiagnosisOptions = {}): AlertDiagnosis {
  const [best, ...others] = options.findings ?? ruleFindings(evidence);
  if (best === undefined) return insufficientEvidence(evidence, options.fallbackRecommendations ?? []);
  return {
    summary: best.summary,
    probable_cause: best.probableCause,
    evidence: [...best.evidence, ...othersEvidence(best, others), sourcesLine(evidence)],
    recommendations: [...new Set([best, ...others].flatMap((finding) => finding.recommendations))].slice(
      0,
      MAX_RECOMMENDATIONS,
    ),
    confidence: best.confidence,
    source: 'rules',
  };
}

/**
 * The other findings, each as its hypothesis and then the evidence items not shown yet, marked with the rule that
 * found them: what the rules also considered stays visible without repeating a sentence.
 */
function othersEvidence(best: Finding, others: readonly Finding[]): string[] {
  const shown = new Set(best.evidence);
  const items: string[] = [];
  for (const other of others) {
    items.push(`also (${other.rule}, ${other.confidence}): ${other.probableCause}`);
    for (const item of other.evidence) {
      if (shown.has(item)) continue;
      shown.add(item);
      items.push(`also (${other.rule}, ${other.confidence}): ${item}`);
    }
  }
  return items;
}

function insufficientEvidence(evidence: DiagnosisEvidence, fallback: readonly string[]): AlertDiagnosis {
  const checked =
    evidence.checks.length === 0
      ? ['no check to look at: the alert names none the evidence covers']
      : evidence.checks.map(describeChecked);
  return {
    summary: `insufficient evidence: no rule fits ${evidence.checks.map((check) => check.checkId).join(', ') || evidence.alert.alertname}`,
    probable_cause: null,
    evidence: [...checked, `rules tried: ${FAMILIES.join(', ')}`, sourcesLine(evidence)],
    recommendations: [...fallback],
    confidence: 'low',
    source: 'rules',
  };
}

/** What was known of one check, so a thin diagnosis shows how thin. */
function describeChecked(check: CheckEvidence): string {
  const newest = check.recent.at(-1);
  const results =
    newest === undefined
      ? 'no results in the lookback'
      : `${plural(check.recent.length, 'result')} in the lookback, the newest ${newest.status} at ${formatTime(newest.at)}${newest.reason === undefined ? '' : ` (${newest.reason}: ${newest.message})`}`;
  return `${checkLabel(check)}: ${results}; ${plural(check.incidents.length, 'incident')} in the past days; ${plural(check.coFailing.length, 'other check')} down now`;
}

function sourcesLine(evidence: DiagnosisEvidence): string {
  const notes = evidence.sources.map(
    (note) =>
      `${note.source}${note.available ? '' : ' (unavailable)'}${note.note === undefined ? '' : `: ${note.note}`}`,
  );
  return `evidence from ${notes.join('; ') || 'nothing'}`;
}

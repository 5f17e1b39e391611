// The AI diagnosis of an alert, as the receiver and `vigil diagnose` use it: the rule diagnosis with the AI's
// narrative on top when the AI answers in time with a valid answer, the rule diagnosis alone (saying why) otherwise.
// It never throws and always resolves within the AI timeout plus a small margin, so delivery can wait on it.

import type { AlertDiagnosis, DiagnosisEvidence, Finding } from '../../model/diagnosis.js';
import type { AiDiagnoser, AiOutcome } from './ai-diagnoser.js';
import { mergedDiagnosis } from './merge.js';

/** What the rules concluded: the findings (sent to the AI) and the diagnosis built from them (the fallback). */
export interface RuleDiagnosis {
  findings: readonly Finding[];
  diagnosis: AlertDiagnosis;
}

export interface AiDiagnosisOptions {
  /** Absent when AI diagnosis is off: the rule diagnosis is the answer. */
  diagnoser?: AiDiagnoser;
  /** The alert state the AI's answer is cached under. */
  cacheKey?: string;
  signal?: AbortSignal;
  /** Told of every failure, with its detail (an HTTP error's message), for a log line or a metric. */
  onFailure?: (failure: AiOutcome & { ok: false }) => void;
}

/** Past the timeout, the time an aborted request may take to unwind before the rules answer regardless. */
const GIVE_UP_MARGIN_MS = 250;

export async function diagnoseWithAi(
  evidence: DiagnosisEvidence,
  rules: RuleDiagnosis,
  options: AiDiagnosisOptions,
): Promise<AlertDiagnosis> {
  const { diagnoser } = options;
  if (diagnoser === undefined) return rules.diagnosis;
  const outcome = await withinDeadline(
    diagnoser.diagnose({ evidence, findings: rules.findings, ...cacheKeyOf(options) }, options.signal),
    diagnoser.timeoutMs + GIVE_UP_MARGIN_MS,
  );
  if (outcome.ok) return mergedDiagnosis(rules.diagnosis, outcome.answer);
  options.onFailure?.(outcome);
  return { ...rules.diagnosis, source: 'rules', fallback_reason: outcome.reason };
}

function cacheKeyOf(options: AiDiagnosisOptions): { cacheKey?: string } {
  return options.cacheKey === undefined ? {} : { cacheKey: options.cacheKey };
}

/** The outcome, or a timeout when it has not come by `ms`; an unexpected exception becomes an `error` outcome. */
async function withinDeadline(outcome: Promise<AiOutcome>, ms: number): Promise<AiOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<AiOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout', detail: `no outcome within ${ms} ms` }), ms);
  });
  const settled = outcome.catch((error: unknown): AiOutcome => ({ ok: false, reason: 'error', detail: String(error) }));
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

// `vigil diagnose CHECK_ID`: the diagnosis of one check now, from the store of its Vigil. Evidence is gathered as
// for an alert naming the check; the rule diagnosis always answers, and the AI (when config.yml and the environment
// configure one) adds its narrative within its timeout, the rules answering alone when it does not.

import type { VigilConfig } from '../config/index.js';
import { AiDiagnoser } from '../diagnosis/ai/ai-diagnoser.js';
import { diagnoseWithAi } from '../diagnosis/ai/ai-diagnosis.js';
import { diagnoseWithRules, gatherEvidence, ruleFindings, type EvidenceStore } from '../diagnosis/index.js';
import { formatSpan, formatTime } from '../diagnosis/rules/facts.js';
import type { AlertDiagnosis, DiagnosisEvidence, EvidenceSourceNote } from '../model/diagnosis.js';

export interface DiagnoseOptions {
  config: VigilConfig;
  store: EvidenceStore;
  env: Record<string, string | undefined>;
  checkId: string;
  lookbackMs: number;
  now: number;
}

export type DiagnoseOutcome =
  | { ok: true; checkId: string; diagnosis: AlertDiagnosis; evidence: DiagnosisEvidence }
  | { ok: false; message: string };

/** The name the evidence gives the "alert" a diagnosis on demand is about. */
const SUBJECT_NAME = 'VigilDiagnose';

/** Why the check cannot be diagnosed on this configuration: it is not one of its checks. */
export function unknownCheck(config: VigilConfig, checkId: string): string | undefined {
  if (config.checks.some((check) => check.id === checkId)) return undefined;
  return `unknown check \`${checkId}\` (not in ${config.files.checks})`;
}

export async function diagnoseCheck(options: DiagnoseOptions): Promise<DiagnoseOutcome> {
  const { config, store, checkId, now } = options;
  const unknown = unknownCheck(config, checkId);
  if (unknown !== undefined) return { ok: false, message: unknown };
  const evidence = await gatherEvidence(
    {
      alertname: SUBJECT_NAME,
      severity: 'none',
      labels: { check: checkId },
      annotations: {},
      startsAt: now,
      checkId,
    },
    { store, checks: config.checks, maintenance: config.settings.maintenance, now, lookbackMs: options.lookbackMs },
  );
  const ofCheck = evidence.checks[0];
  if (ofCheck === undefined || (ofCheck.recent.length === 0 && ofCheck.incidents.length === 0)) {
    return { ok: false, message: await noDataMessage(checkId, options) };
  }
  const findings = ruleFindings(evidence);
  const rules = { findings, diagnosis: diagnoseWithRules(evidence, { findings }) };
  const { ai } = config.settings;
  const diagnoser =
    ai === undefined ? undefined : new AiDiagnoser({ settings: ai, apiKey: options.env['OPENAI_API_KEY'] });
  const diagnosis = await diagnoseWithAi(evidence, rules, diagnoser === undefined ? {} : { diagnoser });
  return { ok: true, checkId, diagnosis, evidence };
}

/** Why there is nothing to diagnose: no result ever stored, or none recent enough (with a longer lookback to try). */
async function noDataMessage(checkId: string, options: DiagnoseOptions): Promise<string> {
  const [newest] = await options.store.listResults(checkId, { limit: 1 });
  const lookback = formatSpan(options.lookbackMs);
  if (newest === undefined) {
    return `no data for check \`${checkId}\`: the store has no result of it (has a prober with this configuration run it?)`;
  }
  return (
    `no data for check \`${checkId}\` in the last ${lookback}: its newest result is from ` +
    `${formatTime(newest.startedAt)} (${formatSpan(options.now - newest.startedAt)} ago); try a longer --lookback`
  );
}

/** The JSON of `--json`: the diagnosis object (CONTRACT section 6), the check, and what the evidence covered. */
export function diagnosisJson(outcome: Extract<DiagnoseOutcome, { ok: true }>): string {
  return JSON.stringify(
    {
      check: outcome.checkId,
      diagnosed_at: new Date(outcome.evidence.at).toISOString(),
      ...outcome.diagnosis,
      evidence_sources: outcome.evidence.sources,
    },
    null,
    2,
  );
}

/** The text a person reads: what broke, why, the evidence, what to do, and how sure and from where. */
export function diagnosisText(outcome: Extract<DiagnoseOutcome, { ok: true }>): string {
  const { diagnosis, evidence } = outcome;
  const check = evidence.checks[0];
  const title =
    check?.name === undefined || check.name === outcome.checkId
      ? outcome.checkId
      : `${outcome.checkId} (${check.name})`;
  const source =
    diagnosis.source === 'ai'
      ? 'AI, on top of the rule findings'
      : `rules${diagnosis.fallback_reason === undefined ? '' : ` (the AI gave no answer: ${diagnosis.fallback_reason})`}`;
  return [
    `${title}: ${diagnosis.summary}`,
    '',
    `Probable cause: ${diagnosis.probable_cause ?? 'unknown (no rule fits the evidence)'}`,
    `Confidence:     ${diagnosis.confidence}`,
    `Source:         ${source}`,
    '',
    'Evidence:',
    ...bullets(diagnosis.evidence),
    '',
    'Recommendations:',
    ...bullets(diagnosis.recommendations.length > 0 ? diagnosis.recommendations : ['none beyond the evidence above']),
    '',
    `Evidence available (diagnosed at ${formatTime(evidence.at)}):`,
    ...bullets(evidence.sources.map(describeSource)),
  ].join('\n');
}

function bullets(items: readonly string[]): string[] {
  return items.map((item) => `  - ${item}`);
}

function describeSource(note: EvidenceSourceNote): string {
  return `${note.source}${note.available ? '' : ' (unavailable)'}${note.note === undefined ? '' : `: ${note.note}`}`;
}

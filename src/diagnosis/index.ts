// What the wiring of the diagnosis uses: evidence from the store, the prober's HTTP API or the alert's labels, and
// the rule-based diagnosis with its ranked findings (which the AI diagnosis is given beside the evidence).

export { checkTarget } from './evidence/check-target.js';
export { evidenceFromLabels } from './evidence/from-labels.js';
export {
  proberApiEvidence,
  type ProberApiEvidence,
  type ProberApiEvidenceOptions,
} from './evidence/from-prober-api.js';
export { gatherEvidence, type EvidenceStore, type StoreEvidenceOptions } from './evidence/from-store.js';
export type { DiagnosisSubject } from './evidence/subject.js';
export { diagnoseWithRules, ruleFindings, type RuleDiagnosisOptions } from './rule-diagnosis.js';
export { FAMILIES, rules, type RuleFamily } from './rules/index.js';

// The shape of a rule family: one check's evidence (and the whole alert's, for rules that look across checks) in,
// a finding or nothing out. Pure and deterministic: "now" is the evidence's `at`, never the clock.

import type { CheckEvidence, DiagnosisEvidence, Finding } from '../../model/diagnosis.js';

export type RuleFn = (evidence: CheckEvidence, all: DiagnosisEvidence) => Finding | undefined;

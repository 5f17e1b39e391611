// The AI's answer on top of the rule diagnosis: the AI writes the summary and the narrative, the evidence stays the
// rules' with the AI's additions after it, and its next steps come before the rules' concrete ones, both kept.

import type { AlertDiagnosis } from '../../model/diagnosis.js';
import type { AiAnswer } from './answer.js';

const EVIDENCE_ITEMS = 20;
const AI_RECOMMENDATIONS = 5;
const RECOMMENDATIONS = 12;
const TEXT_LENGTH = 600;

export function mergedDiagnosis(rules: AlertDiagnosis, answer: AiAnswer): AlertDiagnosis {
  const aiCause = clean(answer.probable_cause);
  return {
    summary: clean(answer.summary),
    probable_cause: aiCause === '' ? rules.probable_cause : aiCause,
    evidence: distinct([...rules.evidence, ...answer.evidence.map(clean)]).slice(0, EVIDENCE_ITEMS),
    recommendations: distinct([
      ...answer.recommendations.map(clean).slice(0, AI_RECOMMENDATIONS),
      ...rules.recommendations,
    ]).slice(0, RECOMMENDATIONS),
    confidence: answer.confidence,
    source: 'ai',
  };
}

/** One line, bounded: an answer is shown in chat messages and SMS, not as the model formatted it. */
function clean(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= TEXT_LENGTH ? line : `${line.slice(0, TEXT_LENGTH - 1)}…`;
}

/** In order, without empties and without repeats that differ only in case or spacing. */
function distinct(items: readonly string[]): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLowerCase().replace(/\s+/g, ' ').trim();
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

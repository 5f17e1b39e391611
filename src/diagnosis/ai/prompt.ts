// What the model is told: evidence-based reasoning, hypotheses rather than causal chains, JSON only. The same words
// go to every server; with `response_format: json_schema` the schema is also enforced, without it these words are
// all the model has.

import type { AiEvidence } from './redact.js';

const SYSTEM_PROMPT = [
  'You are the incident analyst of Vigil, an uptime monitor. You receive the evidence about one alert as JSON: the',
  "alert's labels, each check's target and recent results (status, reason, message, HTTP status, phase timings), its",
  'incidents, other checks failing at the same time and what they share, certificate expiry, maintenance windows,',
  "where the evidence came from, and the findings of Vigil's deterministic rules.",
  '',
  'Explain what probably broke and what to do, from this evidence only:',
  '- Word causes as hypotheses and name the evidence each rests on. Never invent hosts, outputs or facts.',
  '- The rule findings were computed from the same data: build on them; disagree only with evidence.',
  '- When the evidence is thin, say what is missing and keep the confidence low.',
  '- Recommendations are concrete next steps (a command, a log, a dashboard) naming the host, port, URL path, DNS',
  '  name or certificate from the evidence; at most five.',
  '- Values shown as [redacted] were removed on purpose; do not speculate about them.',
  '',
  'Answer with one JSON object and nothing else, with exactly these keys: "summary" (one sentence),',
  '"probable_cause" (one or two sentences), "evidence" (array of short strings, each a fact from the input),',
  '"recommendations" (array of short strings), "confidence" ("low", "medium" or "high").',
].join('\n');

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export function promptMessages(evidence: AiEvidence): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: `Evidence:\n${JSON.stringify(evidence)}` },
  ];
}

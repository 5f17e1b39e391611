// The answer the AI must give: a JSON object of a fixed schema, asked for with `response_format: json_schema` where
// the server supports it and validated with ajv either way (a server may ignore the schema, a model may wrap its JSON
// in a code fence or cut it short).

import { Ajv } from 'ajv';

import type { Confidence } from '../../model/diagnosis.js';

export interface AiAnswer {
  summary: string;
  probable_cause: string;
  evidence: string[];
  recommendations: string[];
  confidence: Confidence;
}

/**
 * What the request asks for. Every property required and no others: OpenAI's strict structured output accepts only
 * such schemas, and the keywords it supports are the ones used here.
 */
export const ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    summary: { type: 'string', description: 'One sentence: what is failing and the most likely reason.' },
    probable_cause: { type: 'string', description: 'The leading hypothesis, with the evidence it rests on.' },
    evidence: { type: 'array', items: { type: 'string' }, description: 'Facts from the input that support it.' },
    recommendations: {
      type: 'array',
      items: { type: 'string' },
      description: 'Concrete next steps naming the host, port, URL path, DNS name or certificate.',
    },
    confidence: { type: 'string', enum: ['low', 'medium', 'high'] },
  },
  required: ['summary', 'probable_cause', 'evidence', 'recommendations', 'confidence'],
  additionalProperties: false,
} as const;

/** The request's schema plus what a strict server cannot be asked for but an answer must have: a summary. */
const validate = new Ajv({ allErrors: true }).compile<AiAnswer>({
  ...ANSWER_SCHEMA,
  properties: { ...ANSWER_SCHEMA.properties, summary: { type: 'string', minLength: 1 } },
});

export type AnswerProblem = { ok: false; reason: 'malformed_json' | 'invalid_answer'; detail: string };

/** The answer in `content`, or why it is not one. A single Markdown code fence around the JSON is tolerated. */
export function parseAnswer(content: string): { ok: true; answer: AiAnswer } | AnswerProblem {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/i.exec(content);
  let data: unknown;
  try {
    data = JSON.parse(fenced?.[1] ?? content);
  } catch (error) {
    return { ok: false, reason: 'malformed_json', detail: (error as Error).message };
  }
  if (!validate(data)) {
    const detail = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
    return { ok: false, reason: 'invalid_answer', detail: detail.join('; ') };
  }
  return { ok: true, answer: data };
}

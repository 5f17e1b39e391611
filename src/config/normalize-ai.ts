// config.yml `ai:`: whether AI diagnosis is on, and its settings with every default applied. It is on when a key
// (OPENAI_API_KEY) or a base URL (`ai.base_url`, else OPENAI_BASE_URL) is configured: a key alone means OpenAI
// itself, a base URL alone a local server that needs none (Ollama, vLLM).

import { parseDuration } from './duration.js';
import type { RawConfigFile } from './schema/config.js';
import type { AiSettings } from './types.js';

type Env = Record<string, string | undefined>;

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

/** The AI settings, or undefined when AI diagnosis is off. */
export function normalizeAi(raw: RawConfigFile['ai'], env: Env): AiSettings | undefined {
  const ai = raw ?? {};
  const configuredUrl = ai.base_url ?? nonEmpty(env['OPENAI_BASE_URL']);
  if (configuredUrl === undefined && nonEmpty(env['OPENAI_API_KEY']) === undefined) return undefined;
  return {
    baseUrl: (configuredUrl ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    model: ai.model ?? 'gpt-4o-mini',
    timeoutMs: parseDuration(ai.timeout ?? '10s') ?? 10_000,
    maxTokens: ai.max_tokens ?? 800,
    callsPerMinute: ai.calls_per_minute ?? 30,
    jsonSchema: ai.json_schema ?? 'auto',
  };
}

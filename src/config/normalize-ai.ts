// config.yml `ai:`: whether AI diagnosis is on, and its settings with every default applied. It is on when a key
// (OPENAI_API_KEY) or a base URL (`ai.base_url`, else OPENAI_BASE_URL) is configured: a key alone means OpenAI
// itself, a base URL alone a local server that needs none (Ollama, vLLM). The base URL in use, from the file or the
// environment, must be an http(s) URL: a bad one is a config error, not a failure at the first alert.

import { isMapping } from './check-entries.js';
import { parseDuration } from './duration.js';
import { unparsableHttpUrl } from './http-url-rule.js';
import { got } from './problems.js';
import type { RawConfigFile } from './schema/config.js';
import { BASE_URL_MESSAGE } from './schema/settings/ai.js';
import type { AiSettings, ConfigProblem } from './types.js';
import type { ConfigDocument } from './yaml-document.js';
import { httpUrl } from '../http-url.js';

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

/** `ai.base_url` that the schema's pattern lets through but that is no URL (`http://ollama:port`). */
export function aiRules(document: ConfigDocument): ConfigProblem[] {
  const ai = sectionOf(document.value);
  return unparsableHttpUrl(document, '/ai/base_url', ai['base_url'], BASE_URL_MESSAGE);
}

/**
 * OPENAI_BASE_URL when it is the base URL in use (config.yml sets no `ai.base_url`), reported against config.yml
 * (present or not) since that is where the setting that overrides it goes. Its value is not shown.
 */
export function aiEnvironmentProblems(configValue: unknown, configFile: string, env: Env): ConfigProblem[] {
  const fromEnvironment = nonEmpty(env['OPENAI_BASE_URL']);
  if (sectionOf(configValue)['base_url'] !== undefined || fromEnvironment === undefined) return [];
  if (httpUrl(fromEnvironment) !== undefined) return [];
  const message =
    `${BASE_URL_MESSAGE} (the environment variable, the AI base URL while config.yml sets no \`ai.base_url\`), ` +
    got(fromEnvironment, true);
  return [{ file: configFile, line: 1, column: 1, path: 'OPENAI_BASE_URL', message }];
}

function sectionOf(configValue: unknown): Record<string, unknown> {
  const ai = isMapping(configValue) ? configValue['ai'] : undefined;
  return isMapping(ai) ? ai : {};
}

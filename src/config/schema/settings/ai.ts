// config.yml `ai:` the OpenAI-compatible endpoint that writes a narrative on top of the rule-based diagnosis. The key
// never lives here: it comes from OPENAI_API_KEY (or OPENAI_API_KEY_FILE). AI diagnosis is on when a key or a base
// URL is configured; otherwise every alert gets the rule diagnosis alone.

import { Type } from '@sinclair/typebox';

import { Duration, NonEmptyString, Strict, StringEnum } from '../common.js';

export const JSON_SCHEMA_MODES = ['auto', 'on', 'off'] as const;

/** What a base URL that is not one is told (the `ai.base_url` setting and OPENAI_BASE_URL alike). */
export const BASE_URL_MESSAGE = 'must be an http:// or https:// URL, e.g. "http://localhost:11434/v1" for Ollama';

export const AiSection = Strict(
  {
    base_url: Type.Optional(
      Type.String({
        pattern: String.raw`^https?://\S+$`,
        patternErrorMessage: BASE_URL_MESSAGE,
        description:
          'Base URL of an OpenAI-compatible API (OpenAI, Azure OpenAI, Ollama, vLLM); OPENAI_BASE_URL from the ' +
          "environment when absent, OpenAI's own when only OPENAI_API_KEY is set.",
      }),
    ),
    model: Type.Optional(NonEmptyString({ default: 'gpt-4o-mini', description: 'The model asked for a diagnosis.' })),
    timeout: Type.Optional(
      Duration(
        { min: '1s', max: '60s' },
        {
          default: '10s',
          description:
            'How long a delivery waits for the model, from when the alert was accepted; then it goes out with the ' +
            'rule diagnosis, and an answer that comes later (within three times this) is stored and shown in the API.',
        },
      ),
    ),
    max_tokens: Type.Optional(
      Type.Integer({
        minimum: 100,
        maximum: 16_000,
        default: 800,
        description: 'Longest answer asked for; an answer cut at this length counts as a failure.',
      }),
    ),
    calls_per_minute: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        default: 30,
        description: 'Budget of calls to the model; beyond it alerts get the rule diagnosis alone.',
      }),
    ),
    json_schema: Type.Optional(
      StringEnum(JSON_SCHEMA_MODES, {
        default: 'auto',
        description:
          'Ask for structured output with `response_format: json_schema`: on, off (JSON asked for in the prompt ' +
          'only), or auto (on, and off for the rest of the process once the server rejects it).',
      }),
    ),
  },
  { description: 'AI diagnosis through an OpenAI-compatible API; on when OPENAI_API_KEY or a base URL is set.' },
);

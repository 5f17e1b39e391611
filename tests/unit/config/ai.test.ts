// config.yml `ai:`: when AI diagnosis is on (a key or a base URL), its defaults and values, and the problems a bad
// section gives at FILE:LINE:COL: PATH:. The key itself is never a setting.

import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { loadDir, loadedConfig, problemLines, writeConfigDir } from './fixtures.js';

const CHECKS = 'checks:\n  - {id: homepage, endpoint: {url: "https://example.com/"}}\n';

let remove: (() => void) | undefined;
afterEach(() => remove?.());

function load(configYml: string | undefined, env: Record<string, string> = {}) {
  const files: Record<string, string> = { 'checks.yml': CHECKS };
  if (configYml !== undefined) files['config.yml'] = configYml;
  const written = writeConfigDir(files);
  remove = written.remove;
  return { dir: written.dir, result: loadDir(written.dir, env) };
}

const DEFAULTS = { model: 'gpt-4o-mini', timeoutMs: 10_000, maxTokens: 800, callsPerMinute: 30, jsonSchema: 'auto' };

describe('whether AI diagnosis is on', () => {
  it.each([
    ['no config.yml and no environment', undefined, {}, undefined],
    ['an `ai:` section without a base URL or key', 'ai: {model: llama3.1}\n', {}, undefined],
    ['OPENAI_API_KEY alone: OpenAI itself', undefined, { OPENAI_API_KEY: 'sk-test' }, 'https://api.openai.com/v1'],
    ['OPENAI_BASE_URL alone', undefined, { OPENAI_BASE_URL: 'http://ollama:11434/v1/' }, 'http://ollama:11434/v1'],
    [
      '`ai.base_url` over OPENAI_BASE_URL',
      'ai: {base_url: "http://vllm:8000/v1"}\n',
      { OPENAI_BASE_URL: 'http://ollama:11434/v1' },
      'http://vllm:8000/v1',
    ],
    ['an empty OPENAI_API_KEY counts as unset', undefined, { OPENAI_API_KEY: '' }, undefined],
  ])('%s', (_case, configYml, env, baseUrl) => {
    const { settings } = loadedConfig(load(configYml, env).result);
    if (baseUrl === undefined) expect(settings).not.toHaveProperty('ai');
    else expect(settings.ai).toEqual({ baseUrl, ...DEFAULTS });
  });
});

describe('an ai section written out', () => {
  it('takes every value as written', () => {
    const yml =
      'ai:\n  base_url: "{{ LLM_URL }}"\n  model: llama3.1:8b\n  timeout: 4s\n  max_tokens: 600\n' +
      '  calls_per_minute: 5\n  json_schema: "off"\n';
    const { settings } = loadedConfig(load(yml, { LLM_URL: 'http://127.0.0.1:11434/v1' }).result);
    expect(settings.ai).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3.1:8b',
      timeoutMs: 4_000,
      maxTokens: 600,
      callsPerMinute: 5,
      jsonSchema: 'off',
    });
  });

  it('never holds the key', () => {
    const { settings } = loadedConfig(load(undefined, { OPENAI_API_KEY: 'sk-never-in-settings' }).result);
    expect(JSON.stringify(settings)).not.toContain('sk-never-in-settings');
  });
});

describe('a broken ai section', () => {
  it('reports every problem at once, each where it was written', () => {
    const yml = [
      'ai:',
      '  base_url: ollama:11434',
      '  api_key: sk-in-the-file',
      '  timeout: 2m',
      '  max_tokens: 10',
      '  calls_per_minute: 0',
      '  json_schema: maybe',
      '',
    ].join('\n');
    const { dir, result } = load(yml);
    const file = path.join(dir, 'config.yml');
    expect(problemLines(result).map((line) => line.replace(file, 'config.yml'))).toEqual([
      'config.yml:2:13: ai.base_url: must be an http:// or https:// URL, e.g. "http://localhost:11434/v1" for Ollama, got `ollama:11434`',
      'config.yml:3:3: ai.api_key: unknown key `api_key` (allowed: base_url, model, timeout, max_tokens, calls_per_minute, json_schema)',
      'config.yml:4:12: ai.timeout: must be at most 60s, got 2m',
      'config.yml:5:15: ai.max_tokens: must be at least 100, got 10',
      'config.yml:6:21: ai.calls_per_minute: must be at least 1, got 0',
      'config.yml:7:16: ai.json_schema: must be one of auto, on, off; got `maybe`',
    ]);
  });
});

describe('a base URL that is no http(s) URL', () => {
  it('is refused in `ai.base_url` even when it looks like one', () => {
    const { dir, result } = load('ai:\n  base_url: http://ollama:port/v1\n');
    const file = path.join(dir, 'config.yml');
    expect(problemLines(result).map((line) => line.replace(file, 'config.yml'))).toEqual([
      'config.yml:2:13: ai.base_url: must be an http:// or https:// URL, e.g. "http://localhost:11434/v1" for Ollama, got `http://ollama:port/v1`',
    ]);
  });

  it.each([
    ['without config.yml', undefined],
    ['with a config.yml that sets no base URL', 'ai: {model: llama3.1}\n'],
  ])('is refused in OPENAI_BASE_URL %s, its value not shown', (_case, configYml) => {
    const { dir, result } = load(configYml, { OPENAI_BASE_URL: 'ollama:11434/v1' });
    const file = path.join(dir, 'config.yml');
    expect(problemLines(result).map((line) => line.replace(file, 'config.yml'))).toEqual([
      'config.yml:1:1: OPENAI_BASE_URL: must be an http:// or https:// URL, e.g. "http://localhost:11434/v1" for ' +
        'Ollama (the environment variable, the AI base URL while config.yml sets no `ai.base_url`), got a value ' +
        'from the environment (not shown)',
    ]);
  });

  it('is not asked of OPENAI_BASE_URL when `ai.base_url` overrides it', () => {
    const { result } = load('ai: {base_url: "http://vllm:8000/v1"}\n', { OPENAI_BASE_URL: 'not a url' });
    expect(loadedConfig(result).settings.ai?.baseUrl).toBe('http://vllm:8000/v1');
  });
});

// `{{ VAR }}` and `{{ VAR | default }}` in any of the three files, filled on the parsed YAML so positions stay right.

import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { loadDir, loadedConfig, problemLines, writeConfigDir } from './fixtures.js';

const CHECKS = 'checks:\n  - {id: api_root, endpoint: {url: "https://example.com/"}}\n';

const removals: Array<() => void> = [];
afterAll(() => removals.forEach((remove) => remove()));

function configDir(files: Record<string, string>): string {
  const { dir, remove } = writeConfigDir(files);
  removals.push(remove);
  return dir;
}

function withStatusPage(statusPage: string): string {
  return configDir({ 'checks.yml': CHECKS, 'status-page.yml': statusPage });
}

describe('templating', () => {
  it('counts an empty variable as set', () => {
    const dir = withStatusPage('description: "{{ DESCRIPTION | not used }}"\n');
    expect(loadedConfig(loadDir(dir, { DESCRIPTION: '' })).statusPage.description).toBe('');
    expect(loadedConfig(loadDir(dir)).statusPage.description).toBe('not used');
  });

  it('keeps a quoted template a string, and reads an unquoted one as YAML would', () => {
    const quoted = withStatusPage('title: "{{ TITLE | 42 }}"\n');
    const statusPage = loadedConfig(loadDir(quoted)).statusPage;
    expect(statusPage.title).toBe('42');
    // A status-page.yml without `components:` still shows one component per group.
    expect(statusPage.components).toEqual([{ id: 'default', name: 'default', checks: ['api_root'], public: true }]);

    const unquoted = withStatusPage('title: {{ TITLE | 42 }}\n');
    expect(problemLines(loadDir(unquoted))).toEqual([
      `${path.join(unquoted, 'status-page.yml')}:1:8: title: must be a string, got 42`,
    ]);
  });

  it('keeps colons, commas and spaces of an unquoted default', () => {
    const dir = withStatusPage(
      'title: {{ TITLE | Status: api, web and db }}\ncomponents:\n  - {id: web, checks: [{{ CHECK | api_root }}]}\n',
    );
    const statusPage = loadedConfig(loadDir(dir)).statusPage;
    expect(statusPage.title).toBe('Status: api, web and db');
    expect(statusPage.components[0]?.checks).toEqual(['api_root']);
  });

  it('names every missing variable where it is used, in any file', () => {
    const dir = configDir({
      'checks.yml': 'checks:\n  - id: api_root\n    endpoint:\n      url: "https://{{ HOST }}/{{ PATH_PREFIX }}"\n',
      'config.yml': 'storage:\n  sqlite_path: {{ SQLITE_PATH }}\n',
    });

    expect(problemLines(loadDir(dir, { HOST: 'example.com' }))).toEqual([
      `${path.join(dir, 'checks.yml')}:4:12: checks[0].endpoint.url: environment variable PATH_PREFIX is not set and has no default`,
      `${path.join(dir, 'config.yml')}:2:16: storage.sqlite_path: environment variable SQLITE_PATH is not set and has no default`,
    ]);
  });

  it('fills variables before validating, so a filled value is checked like a written one', () => {
    const dir = configDir({
      'checks.yml':
        'checks:\n  - {id: api_root, endpoint: {url: "https://example.com/"}, interval: "{{ INTERVAL | 30s }}"}\n',
    });

    expect(loadedConfig(loadDir(dir)).checks[0]?.intervalMs).toBe(30_000);
    expect(problemLines(loadDir(dir, { INTERVAL: '2s' }))).toEqual([
      `${path.join(dir, 'checks.yml')}:2:71: checks[0].interval: must be at least 10s, got 2s`,
    ]);
  });
});

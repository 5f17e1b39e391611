// Push checks in checks.yml: the token source (one of token_env and token_file, readable, not the admin token), the
// grace, and the options of other types refused by name.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDir, loadedConfig, problemLines, writeConfigDir } from './fixtures.js';

const removers: Array<() => void> = [];
afterEach(() => removers.splice(0).forEach((remove) => remove()));

function load(check: string, env: Record<string, string> = {}): ReturnType<typeof loadDir> {
  const { dir, remove } = writeConfigDir({ 'checks.yml': `checks:\n  - ${check}\n` });
  removers.push(remove);
  writeFileSync(path.join(dir, 'token'), 'from-a-file\n');
  return loadDir(dir, { ...env, TOKEN_DIR: dir });
}

describe('push checks in checks.yml', () => {
  it('normalise interval, grace and the token source, never the token', () => {
    const config = loadedConfig(
      load('{id: backup, type: push, interval: 1h, grace: 2h, token_env: BACKUP_TOKEN}', { BACKUP_TOKEN: 's3cret' }),
    );
    expect(config.checks[0]).toMatchObject({
      type: 'push',
      intervalMs: 3_600_000,
      graceMs: 7_200_000,
      timeoutMs: 7_200_000,
      token: { env: 'BACKUP_TOKEN' },
    });
    expect(JSON.stringify(config)).not.toContain('s3cret');
  });

  it('read a token file', () => {
    const config = loadedConfig(load('{id: backup, type: push, token_file: "{{ TOKEN_DIR }}/token"}'));
    const check = config.checks[0]!;
    expect(check.type === 'push' && check.graceMs).toBe(0);
    expect(check.type === 'push' && 'file' in check.token && path.basename(check.token.file)).toBe('token');
  });

  it.each([
    ['{id: backup, type: push}', 'checks[0]: a push check needs its own token'],
    [
      '{id: backup, type: push, token_env: UNSET_TOKEN}',
      'checks[0].token_env: environment variable UNSET_TOKEN is not set',
    ],
    [
      '{id: backup, type: push, token_env: ADMIN_COPY}',
      'checks[0].token_env: the token must differ from VIGIL_ADMIN_TOKEN',
    ],
    [
      '{id: backup, type: push, token_file: /nonexistent/token}',
      'checks[0].token_file: cannot read /nonexistent/token (ENOENT)',
    ],
    [
      '{id: backup, type: push, token_env: A, token_file: /x}',
      'checks[0].token_file: set `token_env` or `token_file`, not both',
    ],
    ['{id: backup, type: push, token_env: A, grace: 8d}', 'checks[0].grace: must be at most 7d, got 8d'],
    [
      '{id: backup, type: push, token_env: A, target: "x:1"}',
      'checks[0].target: `target` is not an option of a push check',
    ],
    [
      '{id: web, endpoint: {url: "http://x/"}, grace: 1m}',
      'checks[0].grace: `grace` is not an option of an http check',
    ],
  ])('refuse %s', (check, says) => {
    const lines = problemLines(load(check, { A: 'a', ADMIN_COPY: 'admin', VIGIL_ADMIN_TOKEN: 'admin' }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(says);
  });
});

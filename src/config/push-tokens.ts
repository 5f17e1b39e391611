// The tokens of push checks: each check names where its own token is (`token_env: NAME` or `token_file: PATH`),
// never the token itself, so checks.yml can be committed and the token stays out of every config object, log and
// API answer. Checked at load (one of the two set, the variable set or the file readable, not the admin token) and
// read again by the prober at each (re)load.

import { readFileSync } from 'node:fs';
import type { PushTokenSource } from '../model/check.js';
import { checkEntries } from './check-entries.js';
import { childPointer } from './pointer.js';
import type { ConfigProblem } from './types.js';
import type { ConfigDocument } from './yaml-document.js';

type Env = Record<string, string | undefined>;

export type TokenRead = { ok: true; token: string } | { ok: false; problem: string };

/** The token behind a source: the variable's value, or the file's content without one trailing newline. */
export function readPushToken(source: PushTokenSource, env: Env): TokenRead {
  if ('env' in source) {
    const token = env[source.env];
    if (token === undefined || token === '')
      return { ok: false, problem: `environment variable ${source.env} is not set` };
    return { ok: true, token };
  }
  let token: string;
  try {
    token = readFileSync(source.file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    return { ok: false, problem: `cannot read ${source.file} (${reason})` };
  }
  return token === '' ? { ok: false, problem: `${source.file} is empty` } : { ok: true, token };
}

/** Per push check in checks.yml: exactly one token source, and one that yields a token other than the admin's. */
export function pushTokenProblems(document: ConfigDocument, env: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const entry of checkEntries(document.value)) {
    if (entry.data['type'] !== 'push') continue;
    const envName = entry.data['token_env'];
    const file = entry.data['token_file'];
    if (envName !== undefined && file !== undefined) {
      problems.push(
        document.problem(childPointer(entry.pointer, 'token_file'), 'set `token_env` or `token_file`, not both'),
      );
      continue;
    }
    if (typeof envName !== 'string' && typeof file !== 'string') {
      if (envName === undefined && file === undefined) {
        const message = 'a push check needs its own token: `token_env:` (an environment variable) or `token_file:`';
        problems.push(document.problem(entry.pointer, message));
      }
      continue;
    }
    const key = typeof envName === 'string' ? 'token_env' : 'token_file';
    const read = readPushToken(typeof envName === 'string' ? { env: envName } : { file: file as string }, env);
    const pointer = childPointer(entry.pointer, key);
    if (!read.ok) problems.push(document.problem(pointer, read.problem));
    else if (read.token === env['VIGIL_ADMIN_TOKEN']) {
      problems.push(document.problem(pointer, 'the token must differ from VIGIL_ADMIN_TOKEN (a job holds it)'));
    }
  }
  return problems;
}

// Where the config fixtures are, as a path relative to the working directory (so problem lines read as users see them),
// and a temporary config directory for tests that need files written on the spot.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { formatProblem, loadConfig, type LoadResult, type VigilConfig } from '../../../src/config/index.js';

export const FIXTURES = path.relative(process.cwd(), fileURLToPath(new URL('../../fixtures/config', import.meta.url)));

export function fixtureDir(name: string): string {
  return path.join(FIXTURES, name);
}

/** Problem lines as `vigil check-config` prints them; fails the test when the config loaded. */
export function problemLines(result: LoadResult): string[] {
  if (result.ok) throw new Error('expected config problems, but the config loaded');
  return result.problems.map(formatProblem);
}

export function loadedConfig(result: LoadResult): VigilConfig {
  if (!result.ok) throw new Error(`expected a valid config, got:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.config;
}

/** Writes `files` (name → YAML text) into a fresh directory; call the returned function to remove it. */
export function writeConfigDir(files: Record<string, string>): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function loadDir(dir: string, env: Record<string, string | undefined> = {}): LoadResult {
  return loadConfig({ configDir: dir, env });
}

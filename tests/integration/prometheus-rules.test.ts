// The shipped Prometheus and Alertmanager configuration as their own tools judge it: `promtool check rules` on every
// rule file, `promtool check config` on prometheus.yml, `promtool test rules` on every *.test.yml beside the rules
// (each alert firing with its labels and annotations, and staying quiet when it must), and `amtool check-config` on
// alertmanager.yml. A missing tool fails the test with the Debian package to install, never skips it.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PROMETHEUS_DIR = path.join(ROOT, 'prometheus');
const RULES_DIR = path.join(PROMETHEUS_DIR, 'rules');
const ALERTMANAGER_CONFIG = path.join(ROOT, 'alertmanager', 'alertmanager.yml');

/** The Debian package that puts each tool on the PATH (`npm run test:setup` installs both). */
const PACKAGE_OF = { promtool: 'prometheus', amtool: 'prometheus-alertmanager' } as const;

const ruleFiles = readdirSync(RULES_DIR).filter((name) => name.endsWith('.yml') && !name.endsWith('.test.yml'));
const testFiles = readdirSync(RULES_DIR).filter((name) => name.endsWith('.test.yml'));

interface ToolRun {
  status: number | null;
  output: string;
}

/** Runs a tool in `cwd`; throws, naming the Debian package, when it is not installed. */
function run(tool: keyof typeof PACKAGE_OF, args: string[], cwd = ROOT): ToolRun {
  const result = spawnSync(tool, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  const error: NodeJS.ErrnoException | undefined = result.error;
  if (error?.code === 'ENOENT') {
    throw new Error(
      `${tool} is not on the PATH: install the Debian package ${PACKAGE_OF[tool]} (npm run test:setup does)`,
    );
  }
  if (error) throw error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Passes when the tool exited 0; otherwise fails showing everything the tool said. */
function expectSuccess(run: ToolRun, what: string): void {
  expect(run.status, `${what} failed:\n${run.output}`).toBe(0);
}

describe('Prometheus rules and configuration', () => {
  it('ships rule files and a promtool unit test beside each', () => {
    expect(ruleFiles).toEqual(
      expect.arrayContaining(['uptime-recording.yml', 'uptime-alerts.yml', 'slo-burn-rate.yml', 'vigil-self.yml']),
    );
    expect(testFiles).toEqual(expect.arrayContaining(ruleFiles.map((name) => name.replace(/\.yml$/, '.test.yml'))));
  });

  it('passes promtool check rules', () => {
    expectSuccess(run('promtool', ['check', 'rules', ...ruleFiles], RULES_DIR), 'promtool check rules');
  });

  it('passes promtool check config, loading every rule file', () => {
    const result = run('promtool', ['check', 'config', 'prometheus.yml'], PROMETHEUS_DIR);
    expectSuccess(result, 'promtool check config');
    expect(result.output).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
  });

  // The burn-rate tests replay days of samples: about 20 s on a quiet machine.
  it.each(testFiles)(
    'passes promtool test rules %s',
    (file) => {
      expectSuccess(run('promtool', ['test', 'rules', file], RULES_DIR), `promtool test rules ${file}`);
    },
    120_000,
  );

  it('lists every rule file in prometheus.yml, and no unit test', () => {
    const result = run('promtool', ['check', 'config', 'prometheus.yml'], PROMETHEUS_DIR);
    for (const file of ruleFiles) expect(result.output).toContain(`Checking rules/${file}`);
    expect(result.output).not.toContain('.test.yml');
  });
});

describe('Alertmanager configuration', () => {
  it('passes amtool check-config', () => {
    expectSuccess(run('amtool', ['check-config', ALERTMANAGER_CONFIG]), 'amtool check-config');
  });
});

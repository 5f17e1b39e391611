// The CLI as a newcomer meets it: its version, the help of one command, what it says to a typo'd command, flag or
// config key, the shipped checks probed without the demo target, and the log format on a terminal or not.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, runVigil, writeConfigDir } from '../helpers/vigil-process.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait-for.js';

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('vigil CLI usage', () => {
  it('prints its version with --version and -V', () => {
    for (const flag of ['--version', '-V']) {
      const { code, stdout } = runVigil([flag]);
      expect(code).toBe(0);
      expect(stdout).toBe(`vigil ${VERSION}\n`);
    }
  });

  it("shows one command's usage with `help COMMAND` and `COMMAND --help`", () => {
    const help = runVigil(['help', 'report']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: vigil report \[options\]\n/);
    expect(help.stdout).toContain('--period P');
    expect(help.stdout).not.toContain('--lookback');
    expect(runVigil(['report', '--help']).stdout).toBe(help.stdout);
  });

  it('names an unknown command, what was probably meant, and the help', () => {
    const typo = runVigil(['strat']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('vigil: unknown command `strat`; did you mean `start`? (see `vigil --help`)\n');
    expect(runVigil(['help', 'frobnicate']).stderr).toBe('vigil: unknown command `frobnicate` (see `vigil --help`)\n');
  });

  it('names an unknown flag, what was probably meant, and the help', () => {
    const typo = runVigil(['check-config', '--confg-dir', 'config']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'vigil: unknown option `--confg-dir`; did you mean `--config-dir`? (see `vigil --help`)\n',
    );
    const missing = runVigil(['check-config', '--config-dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^vigil: .*--config-dir.* \(see `vigil --help`\)\n$/);
    expect(missing.stderr.split("'").length % 2).toBe(1);
  });

  it('suggests the config key probably meant', () => {
    const dir = writeConfigDir({
      'checks.yml': 'checks:\n  - {id: web, intervall: 30s, endpoint: {url: "http://127.0.0.1:1/"}}\n',
    });
    const { code, stderr } = runVigil(['check-config', '--config-dir', dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/checks\.yml:2:\d+: .*unknown key `intervall` \(allowed: .*\); did you mean `interval`\?/);
  });

  it('says that the shipped demo checks need the demo target, and starts it with --demo', () => {
    const config = path.join(REPO_ROOT, 'config');
    const alone = runVigil(['probe', '--once', '--config-dir', config]);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain(
      'demo_healthy, demo_slow, demo_flaky, demo_failing probe the demo target at http://127.0.0.1:9479, ' +
        'which runs only under `npm start` or with --demo',
    );
    const demo = runVigil(['probe', '--once', '--config-dir', config, '--demo', '--demo-listen', '127.0.0.1:0']);
    expect(demo.stdout).toMatch(/demo_healthy\s+healthy/);
    expect(demo.stderr).toBe('');
  });

  it.each([
    ['text', ['--log-format', 'text'], /^\d\d:\d\d:\d\d INFO {2}prober listening address=/m],
    ['JSON lines', [], /^\{"level":30,.*"msg":"prober listening"\}$/m],
  ])(
    'logs %s when its output is not a terminal and it is asked %j',
    async (format, flags, line) => {
      const dir = writeConfigDir({ 'checks.yml': 'checks:\n  - {id: web, endpoint: {url: "http://127.0.0.1:1/"}}\n' });
      const args = [CLI, 'prober', '--config-dir', dir, '--data-dir', makeTempDir('vigil-data'), ...flags];
      const child = spawn(process.execPath, [...args, '--prober-listen', '127.0.0.1:0'], {
        env: { ...process.env, VIGIL_LOG_LEVEL: 'info' },
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        await waitFor(
          () => line.test(output),
          40_000,
          () => `a ${format} "prober listening" line in:\n${output}`,
        );
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    },
    60_000,
  );
});

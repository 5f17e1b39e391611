// What `vigil stack` writes is valid for the tools themselves: the rewritten prometheus.yml passes
// `promtool check config` with every rule file it names (now absolute paths), the rewritten alertmanager.yml passes
// `amtool check-config`, and the token file is readable by its owner only. A missing tool fails, naming its package.

import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { writeStackFiles } from '../../src/stack/stack.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { REPO_ROOT } from '../helpers/vigil-process.js';

const PACKAGE_OF = { promtool: 'prometheus', amtool: 'prometheus-alertmanager' } as const;

function check(tool: keyof typeof PACKAGE_OF, args: string[]): string {
  const run = spawnSync(tool, args, { encoding: 'utf8', timeout: 60_000 });
  const error: NodeJS.ErrnoException | undefined = run.error;
  if (error?.code === 'ENOENT') {
    throw new Error(`${tool} is not on the PATH: install the Debian package ${PACKAGE_OF[tool]}`);
  }
  const output = `${run.stdout}${run.stderr}`;
  expect(run.status, output).toBe(0);
  return output;
}

it('writes a prometheus.yml and an alertmanager.yml their own tools accept, and a private token file', async () => {
  const dataDir = makeTempDir('vigil-stack-files');
  const files = await writeStackFiles({
    prometheusDir: path.join(REPO_ROOT, 'prometheus'),
    alertmanagerDir: path.join(REPO_ROOT, 'alertmanager'),
    dataDir,
    prometheusListen: { host: '0.0.0.0', port: 9090 },
    alertmanagerListen: { host: '0.0.0.0', port: 9093 },
    prober: { host: '0.0.0.0', port: 9470 },
    receiver: { host: '127.0.0.1', port: 9471 },
    webhookToken: 'secret-token',
    pathVariable: process.env['PATH'],
    timing: { prometheus: { scrapeInterval: '1s', evaluationInterval: '1s' } },
  });
  expect(path.dirname(files.prometheusConfig)).toBe(path.join(dataDir, 'stack'));
  expect(check('promtool', ['check', 'config', files.prometheusConfig])).toMatch(/SUCCESS: \d+ rule files found/);
  check('amtool', ['check-config', files.alertmanagerConfig]);
  expect(statSync(files.tokenFile).mode & 0o777).toBe(0o600);
});

// status-page.yml and config.yml: references between files, settings rules, and problems from every file at once.

import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { fixtureDir, loadDir, problemLines, writeConfigDir } from './fixtures.js';

describe('status-page.yml references', () => {
  it('names unknown check ids, unknown tiers and repeated component ids where they are written', () => {
    const dir = fixtureDir('broken/status-page-references');
    const file = path.join(dir, 'status-page.yml');

    expect(problemLines(loadDir(dir))).toEqual([
      `${file}:6:24: components[0].checks[1]: unknown check id \`api_rot\` (not defined in checks.yml)`,
      `${file}:10:11: components[1].tier: unknown tier \`platinum\` (defined tiers: gold)`,
      `${file}:11:9: components[2].id: duplicate component id \`backend\` (first defined at ${file}:4:9)`,
    ]);
  });
});

describe('config.yml', () => {
  it('reports unknown keys, bad addresses, bounds, SLA order and a missing PostgreSQL URL together', () => {
    const dir = fixtureDir('broken/settings');
    const file = path.join(dir, 'config.yml');

    expect(problemLines(loadDir(dir))).toEqual([
      `${file}:2:18: server.prober_listen: must be host:port, :port or [ipv6]:port, e.g. 0.0.0.0:9470, got \`0.0.0.0:99999\``,
      `${file}:3:3: server.reciever_listen: unknown key \`reciever_listen\` (allowed: prober_listen, receiver_listen); did you mean \`receiver_listen\`?`,
      `${file}:4:27: prober.max_concurrency: must be at least 1, got 0`,
      `${file}:5:30: sla.warning: must be at most the target (99), got 99.5`,
      `${file}:7:12: storage.backend: is postgres, but neither \`postgres_url\` nor the DATABASE_URL environment variable is set`,
    ]);
  });

  it('accepts the PostgreSQL URL from DATABASE_URL', () => {
    const lines = problemLines(loadDir(fixtureDir('broken/settings'), { DATABASE_URL: 'postgres://db/vigil' }));
    expect(lines.some((line) => line.includes('storage.backend'))).toBe(false);
  });
});

describe('problems across files', () => {
  const { dir, remove } = writeConfigDir({
    'checks.yml': 'checks:\n  - {id: api_root, endpoint: {url: "https://example.com/"}, interval: 1s}\n',
    'config.yml': 'data_dir: "{{ DATA_DIR }}"\nsla: {target: 101}\n',
    'status-page.yml':
      'title: Status\nperiods: [24h, 1w, 24h]\ncomponents:\n  - {id: web, checks: [api_root], tier: gold}\n',
  });
  afterAll(remove);

  it('reports all of them, sorted by file, line and column', () => {
    expect(problemLines(loadDir(dir))).toEqual([
      `${path.join(dir, 'checks.yml')}:2:71: checks[0].interval: must be at least 10s, got 1s`,
      `${path.join(dir, 'config.yml')}:1:11: data_dir: environment variable DATA_DIR is not set and has no default`,
      `${path.join(dir, 'config.yml')}:2:15: sla.target: must be at most 100, got 101`,
      `${path.join(dir, 'status-page.yml')}:2:16: periods[1]: must be one of 24h, 7d, 30d, 90d, 365d; got \`1w\``,
      `${path.join(dir, 'status-page.yml')}:2:20: periods[2]: is listed twice (also item 0)`,
      `${path.join(dir, 'status-page.yml')}:4:41: components[0].tier: unknown tier \`gold\` (no \`tiers:\` are defined)`,
    ]);
  });
});

describe('a checks.yml that cannot be parsed', () => {
  const { dir, remove } = writeConfigDir({
    'checks.yml': 'checks: [\n',
    'status-page.yml': 'components:\n  - {id: web, checks: [anything]}\n',
  });
  afterAll(remove);

  it('reports its syntax error and does not guess at references into it', () => {
    const lines = problemLines(loadDir(dir));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/checks\.yml:2:1: \(file\): YAML syntax error: /);
  });
});

// The Docker stack as Docker would take it, without a Docker engine: `docker-compose config` (Debian
// `docker-compose`) validates docker-compose.yml with .env.example and resolves it; every file it mounts exists in
// the repository; each service has a health check; Grafana is provisioned where the provisioning looks; .env.example
// lists every variable the compose file reads, each with a comment. The Dockerfile passes a structural lint
// (hadolint is not packaged for Debian): multi-stage, Node 24 LTS, production dependencies only, not root, a health
// check.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../helpers/vigil-process.js';

const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const ENV_EXAMPLE = path.join(REPO_ROOT, '.env.example');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test?: string[] };
}
interface Resolved {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** `docker-compose config` on the repository's compose file with .env.example; fails naming the Debian package. */
function composeConfig(): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('docker-compose', ['-f', COMPOSE_FILE, '--env-file', ENV_EXAMPLE, 'config'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const error: NodeJS.ErrnoException | undefined = result.error;
  if (error?.code === 'ENOENT') {
    throw new Error(
      'docker-compose is not on the PATH: install the Debian package docker-compose (npm run test:setup does)',
    );
  }
  if (error) throw error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('docker-compose.yml', () => {
  const run = composeConfig();
  const resolved = parseYaml(run.stdout) as Resolved;

  it('is valid for docker-compose config, with .env.example setting every variable it reads', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/WARNING|is not set/);
  });

  it('runs the prober, the receiver, Prometheus, Alertmanager, Grafana and a mail catcher, each with a health check', () => {
    expect(Object.keys(resolved.services).sort()).toEqual(
      ['alertmanager', 'grafana', 'mailpit', 'prober', 'prometheus', 'receiver'].sort(),
    );
    for (const [name, service] of Object.entries(resolved.services)) {
      expect(service.healthcheck?.test?.length, `${name} has no health check`).toBeGreaterThan(0);
    }
    expect(resolved.services['prober']?.command?.[0]).toBe('prober');
    expect(resolved.services['receiver']?.command?.[0]).toBe('receiver');
  });

  it("keeps every service's data in a named volume", () => {
    const volumes = Object.keys(resolved.volumes ?? {});
    for (const name of ['prober', 'receiver', 'prometheus', 'alertmanager', 'grafana']) {
      const named = (resolved.services[name]?.volumes ?? []).filter((volume) => !volume.startsWith('/'));
      expect(named.length, `${name} has no named volume`).toBeGreaterThan(0);
      for (const volume of named) expect(volumes).toContain(volume.split(':')[0]);
    }
  });

  it('mounts only files and directories that exist in the repository', () => {
    const mounts = Object.values(resolved.services).flatMap((service) =>
      (service.volumes ?? []).filter((volume) => volume.startsWith('/')).map((volume) => volume.split(':')[0]!),
    );
    expect(mounts.length).toBeGreaterThan(0);
    for (const source of mounts) {
      expect(source.startsWith(REPO_ROOT), source).toBe(true);
      expect(existsSync(source), `${source} is mounted but missing`).toBe(true);
    }
  });

  it('provisions Grafana from grafana/, for anonymous viewers, with the datasource pointing at the Prometheus service', () => {
    const grafana = resolved.services['grafana']!;
    expect(grafana.environment).toMatchObject({
      GF_AUTH_ANONYMOUS_ENABLED: 'true',
      GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
    });
    const target = (source: string): string | undefined =>
      grafana.volumes?.find((volume) => volume.startsWith(`${path.join(REPO_ROOT, source)}:`))?.split(':')[1];
    expect(target('grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const provider = parseYaml(
      readFileSync(path.join(REPO_ROOT, 'grafana/provisioning/dashboards/vigil.yml'), 'utf8'),
    ) as {
      providers: Array<{ options: { path: string } }>;
    };
    expect(target('grafana/dashboards')).toBe(provider.providers[0]?.options.path);
    const home = grafana.environment?.['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH'] ?? '';
    expect(existsSync(path.join(REPO_ROOT, 'grafana/dashboards', path.basename(home)))).toBe(true);
    const datasources = parseYaml(
      readFileSync(path.join(REPO_ROOT, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: Array<{ url: string }> };
    expect(new URL(datasources.datasources[0]!.url).hostname).toBe('prometheus');
    expect(resolved.services['prometheus']).toBeDefined();
  });

  it("points Prometheus and Alertmanager at the services instead of the shipped configs' localhost", () => {
    const commands = ['prometheus', 'alertmanager']
      .map((name) => [resolved.services[name]?.command ?? []].flat().join(' '))
      .join('\n');
    for (const file of ['prometheus/prometheus.yml', 'alertmanager/alertmanager.yml']) {
      const text = readFileSync(path.join(REPO_ROOT, file), 'utf8').replace(/#.*$/gm, '');
      for (const [address] of text.matchAll(/localhost:\d+/g)) {
        expect(commands, `${file}: ${address} is not rewritten`).toMatch(new RegExp(`s#${address}#[a-z]+:\\d+#`));
      }
    }
  });
});

describe('.env.example', () => {
  const text = readFileSync(ENV_EXAMPLE, 'utf8');
  const lines = text.split('\n');
  const listed = lines.flatMap((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);
  const used = [...readFileSync(COMPOSE_FILE, 'utf8').matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!);

  it('lists every variable docker-compose.yml reads, and no other', () => {
    expect([...new Set(listed)].sort()).toEqual([...new Set(used)].sort());
  });

  it('lists the environment variables of CONTRACT section 2', () => {
    expect(listed).toEqual(
      expect.arrayContaining([
        'VIGIL_ADMIN_TOKEN',
        'VIGIL_WEBHOOK_TOKEN',
        'DATABASE_URL',
        'SMTP_HOST',
        'SMTP_PORT',
        'SMTP_USER',
        'SMTP_PASSWORD',
        'ALERT_SENDER_EMAIL',
        'ALERT_EMAIL_RECIPIENTS',
        'SLACK_WEBHOOK_URL',
        'TWILIO_ACCOUNT_SID',
        'TWILIO_AUTH_TOKEN',
        'TWILIO_FROM_NUMBER',
        'ALERT_SMS_RECIPIENTS',
        'TWILIO_API_BASE_URL',
        'OPENAI_API_KEY',
        'OPENAI_BASE_URL',
      ]),
    );
  });

  it('says what each variable is in a comment right above it', () => {
    lines.forEach((line, index) => {
      if (!/^[A-Z][A-Z0-9_]*=/.test(line)) return;
      expect(lines[index - 1], `${line} has no comment above it`).toMatch(/^# \S/);
    });
  });
});

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(): Array<{ keyword: string; args: string }> {
  return readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.trim().split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

describe('Dockerfile', () => {
  const all = instructions();
  const stages: Array<Array<{ keyword: string; args: string }>> = [];
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  const final = stages.at(-1) ?? [];

  it('is multi-stage, every stage on Node 24 LTS', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]?.args).toMatch(/^node:24(-[a-z0-9-]+)?( AS \w+)?$/i);
  });

  it('ships only production dependencies and the compiled code in the final stage', () => {
    const copied = final.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.args);
    const modulesFrom = /--from=(\w+) \S*node_modules/.exec(copied.join('\n'))?.[1];
    expect(modulesFrom, 'node_modules copied from a stage').toBeDefined();
    const modulesStage = stages.find((stage) => new RegExp(` AS ${modulesFrom}$`, 'i').test(stage[0]?.args ?? ''));
    expect(modulesStage?.some((i) => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    expect(copied.some((args) => /--from=\w+ \S*dist/.test(args))).toBe(true);
    expect(final.some((i) => i.keyword === 'RUN' && /npm (ci|install)/.test(i.args))).toBe(false);
  });

  it('runs as a user other than root, with a health check and the CLI as entrypoint', () => {
    const user = final.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(final.some((instruction) => instruction.keyword === 'HEALTHCHECK' && /CMD/.test(instruction.args))).toBe(
      true,
    );
    expect(final.find((instruction) => instruction.keyword === 'ENTRYPOINT')?.args).toContain('dist/cli.js');
    expect(all.some((instruction) => instruction.keyword === 'ADD')).toBe(false);
  });

  it('keeps dependencies, build output and secrets out of the build context', () => {
    const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', '.env']));
  });
});

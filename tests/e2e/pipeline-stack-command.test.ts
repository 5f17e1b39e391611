// `vigil stack` as a user runs it: one command that starts the prober and the receiver, then Prometheus and
// Alertmanager from the PATH with the repo's configs rewritten for its addresses. Prometheus scrapes both roles,
// an alert posted to Alertmanager reaches the receiver through the rewritten webhook URL (no token set), SIGTERM
// and SIGINT stop every part (no Prometheus or Alertmanager left behind) with exit 0, and a missing binary is exit 1
// naming the Debian package to install.

import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unusedPort } from '../helpers/ports.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { CLI, startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';
import { pollUntil, waitFor } from '../helpers/wait-for.js';

/** Four servers start beside the Vigil processes: on a busy machine a start takes longer than usual. */
const READY_TIMEOUT_MS = 45_000;
const ADMIN_TOKEN = 'stack-admin-token';

interface StackPids {
  prometheusPid: number;
  alertmanagerPid: number;
  prometheus: string;
  alertmanager: string;
}

interface RunningStackCommand {
  vigil: VigilProcess;
  stack: StackPids;
  proberPort: number;
  receiverUrl: string;
}

const started: VigilProcess[] = [];
let configDir: string;

beforeAll(() => {
  configDir = writeConfigDir({
    // Nothing needs to answer: the check only has to exist.
    'checks.yml': 'checks:\n  - {id: stack_probe, interval: 60s, endpoint: {url: "http://127.0.0.1:9/"}}\n',
  });
});

afterAll(async () => {
  await Promise.all(started.map((each) => each.stop()));
});

async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await unusedPort());
  return [...ports];
}

/** The `stack running` log line, once written: the servers' URLs and process ids. */
function stackLine(output: string): StackPids | undefined {
  const line = output.split('\n').find((each) => each.includes('"msg":"stack running"'));
  return line === undefined ? undefined : (JSON.parse(line) as StackPids);
}

async function startStackCommand(): Promise<RunningStackCommand> {
  const [proberPort, receiverPort, prometheusPort, alertmanagerPort] = (await distinctPorts(4)) as [
    number,
    number,
    number,
    number,
  ];
  const vigil = await startVigil(configDir, {
    command: 'stack',
    args: [
      '--prober-listen',
      `127.0.0.1:${proberPort}`,
      '--receiver-listen',
      `127.0.0.1:${receiverPort}`,
      '--prometheus-listen',
      `127.0.0.1:${prometheusPort}`,
      '--alertmanager-listen',
      `127.0.0.1:${alertmanagerPort}`,
    ],
    // No VIGIL_WEBHOOK_TOKEN, as on a first run: the token file is empty and the receiver open (the pipeline test
    // runs with one).
    env: { VIGIL_ADMIN_TOKEN: ADMIN_TOKEN },
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  started.push(vigil);
  const stack = await pollUntil(
    () => stackLine(vigil.output()),
    (line) => line !== undefined,
    { timeoutMs: 60_000 },
  );
  if (stack === undefined) throw new Error(`vigil stack did not start Prometheus and Alertmanager:\n${vigil.output()}`);
  return { vigil, stack, proberPort, receiverUrl: `http://127.0.0.1:${receiverPort}` };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('vigil stack', () => {
  it('runs the pipeline: Prometheus scrapes both roles, Alertmanager delivers to the receiver; SIGTERM stops all', async () => {
    const { vigil, stack, proberPort, receiverUrl } = await startStackCommand();
    expect(stack.prometheus).toBe(`http://127.0.0.1:${new URL(stack.prometheus).port}`);

    // Prometheus scrapes the prober and the receiver at the addresses this run chose (first scrape within 15 s).
    await waitFor(
      async () => {
        const answer = (await (await fetch(`${stack.prometheus}/api/v1/targets`)).json()) as {
          data: { activeTargets: Array<{ labels: { job: string }; scrapeUrl: string; health: string }> };
        };
        const up = answer.data.activeTargets.filter((each) => each.health === 'up');
        return (
          up.some((each) => each.labels.job === 'vigil-prober' && each.scrapeUrl.includes(`:${proberPort}/`)) &&
          up.some((each) => each.labels.job === 'vigil-receiver' && each.scrapeUrl.startsWith(receiverUrl))
        );
      },
      40_000,
      () => 'both vigil jobs up in Prometheus',
    );

    // An application alert goes through Alertmanager's routing to the receiver's webhook.
    const posted = await fetch(`${stack.alertmanager}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname: 'StackSmokeTest', severity: 'critical', component: 'billing' },
          annotations: { summary: 'posted to Alertmanager by the test' },
        },
      ]),
    });
    expect(posted.status).toBe(200);
    await waitFor(
      async () => {
        const response = await fetch(`${receiverUrl}/api/v1/alerts?limit=10`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        const body = (await response.json()) as { alerts: Array<{ alertname: string }> };
        return body.alerts.some((alert) => alert.alertname === 'StackSmokeTest');
      },
      40_000,
      () => 'the alert stored by the receiver',
    );

    expect(await vigil.stop()).toBe(0);
    expect(isRunning(stack.prometheusPid)).toBe(false);
    expect(isRunning(stack.alertmanagerPid)).toBe(false);
  }, 120_000);

  it('stops Prometheus and Alertmanager on SIGINT (Ctrl-C) too, and exits 0', async () => {
    const { vigil, stack } = await startStackCommand();
    const exited = new Promise<number | null>((resolve) => vigil.child.once('exit', (code) => resolve(code)));
    vigil.child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(isRunning(stack.prometheusPid)).toBe(false);
    expect(isRunning(stack.alertmanagerPid)).toBe(false);
  }, 90_000);

  it('exits 1 naming the Debian package when a binary is not on the PATH', () => {
    // Only Prometheus on this PATH: the message names what is missing and nothing else.
    const onlyPrometheus = makeTempDir('vigil-path');
    symlinkSync('/usr/bin/prometheus', path.join(onlyPrometheus, 'prometheus'));
    const run = spawnSync(process.execPath, [CLI, 'stack', '--config-dir', configDir], {
      env: { ...process.env, PATH: onlyPrometheus },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('apt-get install prometheus-alertmanager)');
    expect(run.stderr).not.toContain('stack running');

    const nothing = spawnSync(process.execPath, [CLI, 'stack', '--config-dir', configDir], {
      env: { ...process.env, PATH: makeTempDir('vigil-empty-path') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toContain('apt-get install prometheus prometheus-alertmanager');
  });
});

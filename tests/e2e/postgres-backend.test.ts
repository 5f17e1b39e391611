// `vigil start` on the PostgreSQL store (storage.backend: postgres, DATABASE_URL): both roles share it, and
// results, incidents and alerts survive a restart of the process.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { alert, notification } from '../integration/receiver/payloads.js';
import { startHttpTarget } from '../helpers/http-target-server.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';
import { waitFor } from '../helpers/wait-for.js';

const TOKEN = 'pg-admin-token';
let postgres: PostgresServer;
let target: { url: string; close(): Promise<void> };
let vigil: VigilProcess | undefined;

beforeAll(async () => {
  [postgres, target] = await Promise.all([startPostgres(), startHttpTarget()]);
});

afterAll(async () => {
  await vigil?.stop();
  await Promise.all([target?.close(), postgres?.stop()]);
});

it('keeps results, incidents and alerts in PostgreSQL across a restart', async () => {
  const configDir = writeConfigDir({
    'checks.yml': `
checks:
  - {id: web_ok, interval: 10s, timeout: 2s, endpoint: {url: "${target.url}/ok"}}
  - {id: web_broken, interval: 10s, timeout: 2s, endpoint: {url: "${target.url}/status/503"}}
`,
    'config.yml': 'storage: {backend: postgres}\n',
  });
  const start = (): Promise<VigilProcess> =>
    startVigil(configDir, { command: 'start', env: { DATABASE_URL: postgres.url, VIGIL_ADMIN_TOKEN: TOKEN } });
  vigil = await start();
  const admin = { authorization: `Bearer ${TOKEN}` };

  await waitFor(async () => {
    const body = (await (await fetch(`${vigil!.baseUrl}/api/v1/incidents?check=web_broken`)).json()) as {
      incidents: unknown[];
    };
    return body.incidents.length === 1;
  }, 25_000);
  const webhook = await fetch(`${vigil.receiverUrl}/api/v1/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      notification([
        alert({
          labels: { alertname: 'ServiceDown', check: 'web_broken', severity: 'critical' },
          startsAt: Date.now(),
        }),
      ]),
    ),
  });
  expect(webhook.status).toBe(200);
  const resultsBefore = (
    (await (await fetch(`${vigil.baseUrl}/api/v1/checks/web_ok/results`)).json()) as { results: unknown[] }
  ).results.length;
  expect(resultsBefore).toBeGreaterThan(0);

  expect(await vigil.stop()).toBe(0);
  vigil = await start();

  const results = (await (await fetch(`${vigil.baseUrl}/api/v1/checks/web_ok/results`)).json()) as {
    results: unknown[];
  };
  expect(results.results.length).toBeGreaterThanOrEqual(resultsBefore);
  const incidents = (await (await fetch(`${vigil.baseUrl}/api/v1/incidents?check=web_broken`)).json()) as {
    incidents: Array<{ state: string; first_reason: string }>;
  };
  expect(incidents.incidents).toEqual([expect.objectContaining({ state: 'open', first_reason: 'status_code' })]);
  const alerts = await (await fetch(`${vigil.receiverUrl}/api/v1/alerts`, { headers: admin })).json();
  expect(JSON.stringify(alerts)).toContain('ServiceDown');
  const sla = (await (await fetch(`${vigil.baseUrl}/api/v1/sla?period=24h&check=web_broken`)).json()) as {
    checks: Array<{ uptime_percent: number | null; status: string }>;
  };
  expect(sla.checks[0]).toMatchObject({ uptime_percent: 0, status: 'breached' });
}, 90_000);

// `vigil start` on SQLite diagnoses an alert from the store through its evidence thread: a TCP check refused at a
// closed port is probed by the prober; an Alertmanager webhook about it reaches the receiver, whose stored diagnosis
// is the connection-refused finding naming host:port and the command to run there. The log says the thread served
// it (no fallback to the main thread). What happens when the thread dies is in
// tests/integration/diagnosis/evidence-thread.test.ts.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { alert, notification } from '../integration/receiver/payloads.js';
import { logLines } from '../helpers/log-lines.js';
import { unusedPort } from '../helpers/ports.js';
import { startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';
import { eventually } from '../helpers/wait-for.js';

const TOKEN = 'e2e-admin-token';
const asAdmin = { authorization: `Bearer ${TOKEN}` };

let vigil: VigilProcess | undefined;
let closedPort: number;

beforeAll(async () => {
  closedPort = await unusedPort();
  const configDir = writeConfigDir({
    'checks.yml': `checks:\n  - {id: db_port, type: tcp, target: "127.0.0.1:${closedPort}", interval: 10s, timeout: 1s}\n`,
  });
  vigil = await startVigil(configDir, { command: 'start', env: { VIGIL_ADMIN_TOKEN: TOKEN } });
});

afterAll(async () => {
  await vigil?.stop();
});

interface StoredAlert {
  check: string | null;
  diagnosis: { summary: string; recommendations: string[]; source: string; pending?: boolean } | null;
}

it('diagnoses an alert about a refused check from the store, read by the evidence thread', async () => {
  const { baseUrl, receiverUrl } = vigil!;
  // The first round of probes, at the start: one refused result stored.
  await eventually(
    async () =>
      (
        (await (await fetch(`${baseUrl}/api/v1/checks/db_port/results?limit=5`, { headers: asAdmin })).json()) as {
          results: Array<{ status: string }>;
        }
      ).results.filter((result) => result.status === 'down').length,
    (down) => down >= 1,
    15_000,
  );

  const labels = { alertname: 'UptimeCheckDown', check: 'db_port', severity: 'critical' };
  const posted = await fetch(`${receiverUrl!}/api/v1/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(notification([alert({ labels, startsAt: Date.now() - 60_000 })])),
  });
  expect(posted.status).toBe(200);

  const stored = await eventually(
    async () =>
      (
        (await (await fetch(`${receiverUrl!}/api/v1/alerts?limit=5`, { headers: asAdmin })).json()) as {
          alerts: StoredAlert[];
        }
      ).alerts.find((each) => each.check === 'db_port'),
    (each) => each?.diagnosis != null && each.diagnosis.pending !== true,
    15_000,
  );
  expect(stored?.diagnosis?.source).toBe('rules');
  expect(stored?.diagnosis?.summary).toBe(`127.0.0.1:${closedPort}: the connection is refused`);
  expect(stored?.diagnosis?.recommendations).toContain(`nc -vz 127.0.0.1 ${closedPort}`);

  const messages = logLines(vigil!.output()).map((line) => line.msg);
  expect(messages).toContain('evidence thread ready: diagnoses read the store beside the main thread');
  expect(messages.filter((msg) => msg.startsWith('evidence thread'))).toEqual([
    'evidence thread ready: diagnoses read the store beside the main thread',
  ]);
});

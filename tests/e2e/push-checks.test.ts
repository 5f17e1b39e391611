// Push checks (a dead man's switch) against the built CLI: a job pings with the check's own token and the check is
// healthy; no ping within interval + grace makes it down with reason `missed`, opens an incident and shows
// `uptime_check_status` 2; the next ping recovers it. Wrong tokens, the admin token and unknown checks are refused.
// A restart keeps when the check was last heard: the deadline runs from the stored time, not from the restart.

import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { sampleValue, scrape, startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';
import { eventually } from '../helpers/wait-for.js';

const ADMIN = 'admin-token-for-tests';
const TOKEN = 'backup-token-for-tests';
const ENV = { VIGIL_ADMIN_TOKEN: ADMIN, BACKUP_PUSH_TOKEN: TOKEN };

const CHECKS = `
checks:
  - {id: nightly_backup, name: Nightly backup, type: push, interval: 10s, grace: 1s, token_env: BACKUP_PUSH_TOKEN}
  - {id: other_job, type: push, interval: 1h, token_env: OTHER_PUSH_TOKEN}
  - {id: weekly_report, type: push, interval: 10s, grace: 15s, token_env: BACKUP_PUSH_TOKEN}
`;

const running: VigilProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((vigil) => vigil.stop()));
});

async function start(dataDir: string): Promise<VigilProcess> {
  const configDir = writeConfigDir({ 'checks.yml': CHECKS });
  const vigil = await startVigil(configDir, {
    args: ['--data-dir', dataDir],
    env: { ...ENV, OTHER_PUSH_TOKEN: 'other-token-for-tests' },
  });
  running.push(vigil);
  return vigil;
}

/** An accepted ping's answer, or a refusal's `error`. */
interface PingAnswer {
  accepted?: boolean;
  check?: string;
  status?: string;
  at: string;
  error?: string;
}

async function ping(vigil: VigilProcess, path: string, token?: string): Promise<{ status: number; body: PingAnswer }> {
  const response = await fetch(`${vigil.baseUrl}/api/v1/push/${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as PingAnswer };
}

interface CheckView {
  id: string;
  status: string;
  last_heard_at: string | null;
  last_result: { status: string; reason: string | null; started_at: string } | null;
}

async function checkView(vigil: VigilProcess, id: string): Promise<CheckView> {
  const body = (await (await fetch(`${vigil.baseUrl}/api/v1/checks`)).json()) as { checks: CheckView[] };
  return body.checks.find((check) => check.id === id)!;
}

async function incidents(vigil: VigilProcess): Promise<Array<{ state: string; first_reason: string }>> {
  const response = await fetch(`${vigil.baseUrl}/api/v1/incidents?check=nightly_backup`);
  return ((await response.json()) as { incidents: Array<{ state: string; first_reason: string }> }).incidents;
}

const statusMetric = async (vigil: VigilProcess, check = 'nightly_backup'): Promise<number | undefined> =>
  sampleValue(await scrape(vigil.baseUrl), 'uptime_check_status', { check });

describe('push checks', () => {
  it('go healthy on a ping, down (`missed`) without one, and recover with the next ping', async () => {
    const vigil = await start(makeTempDir('vigil-data'));
    const first = await ping(vigil, 'nightly_backup?msg=backup%20done&duration_ms=1200', TOKEN);
    expect(first).toMatchObject({ status: 200, body: { accepted: true, check: 'nightly_backup', status: 'healthy' } });
    expect(
      await eventually(
        () => statusMetric(vigil),
        (value) => value === 0,
      ),
    ).toBe(0);
    const heard = sampleValue(await scrape(vigil.baseUrl), 'uptime_push_last_heard_timestamp_seconds', {
      check: 'nightly_backup',
    });
    expect(heard! * 1000).toBe(Date.parse(first.body.at));

    expect(
      await eventually(
        () => statusMetric(vigil),
        (value) => value === 2,
        20_000,
      ),
    ).toBe(2);
    const missed = await checkView(vigil, 'nightly_backup');
    expect(missed).toMatchObject({ status: 'down', last_result: { status: 'down', reason: 'missed' } });
    // Due at the ping plus the interval and the grace, 11 s.
    expect(Date.parse(missed.last_result!.started_at)).toBe(Date.parse(first.body.at) + 11_000);
    const open = await eventually(
      () => incidents(vigil),
      (list) => list.length > 0,
    );
    expect(open[0]).toMatchObject({ state: 'open', first_reason: 'missed' });

    expect((await ping(vigil, 'nightly_backup?token=' + TOKEN)).status).toBe(200);
    expect(
      await eventually(
        () => statusMetric(vigil),
        (value) => value === 0,
      ),
    ).toBe(0);
    const closed = await eventually(
      () => incidents(vigil),
      (list) => list[0]?.state === 'closed',
    );
    expect(closed[0]).toMatchObject({ state: 'closed', first_reason: 'missed' });
  }, 45_000);

  it('report a down ping as down with its message', async () => {
    const vigil = await start(makeTempDir('vigil-data'));
    const answer = await ping(vigil, 'nightly_backup?status=down&msg=disk%20full', TOKEN);
    expect(answer).toMatchObject({ status: 200, body: { status: 'down' } });
    const view = await eventually(
      () => checkView(vigil, 'nightly_backup'),
      (check) => check.status === 'down',
    );
    expect(view.last_result).toMatchObject({ reason: 'error' });
    expect((await ping(vigil, 'nightly_backup?status=sideways', TOKEN)).status).toBe(400);
  });

  it('refuse a wrong token (401), the admin token (401), another check’s token (401) and unknown checks (404)', async () => {
    const vigil = await start(makeTempDir('vigil-data'));
    const wrong = await ping(vigil, 'nightly_backup', 'guess');
    const none = await ping(vigil, 'nightly_backup');
    const admin = await ping(vigil, 'nightly_backup', ADMIN);
    const crossed = await ping(vigil, 'nightly_backup', 'other-token-for-tests');
    const unknown = await ping(vigil, 'no_such_job', TOKEN);
    for (const refused of [wrong, none, admin, crossed]) expect(refused.status).toBe(401);
    expect(unknown.status).toBe(404);
    // The same shape either way: one `error` string, naming no check.
    for (const refused of [wrong, unknown]) expect(Object.keys(refused.body)).toEqual(['error']);
    expect(JSON.stringify([wrong.body, unknown.body])).not.toContain('nightly_backup');
    expect((await checkView(vigil, 'nightly_backup')).last_heard_at).toBeNull();
  });

  it('keep the last-heard time across a restart: the deadline runs from the stored ping, not from the start', async () => {
    const dataDir = makeTempDir('vigil-data');
    const before = await start(dataDir);
    const first = await ping(before, 'weekly_report', TOKEN);
    const heardAt = Date.parse(first.body.at);
    await eventually(
      () => checkView(before, 'weekly_report'),
      (check) => check.status === 'healthy',
    );
    await running.pop()!.stop();

    const after = await start(dataDir);
    const restored = await checkView(after, 'weekly_report');
    expect(restored).toMatchObject({ status: 'healthy', last_heard_at: first.body.at });
    // Not missed: neither in the API nor in the metric (which, as for every check, waits for the next result).
    expect(await statusMetric(after, 'weekly_report')).not.toBe(2);
    const missed = await eventually(
      () => checkView(after, 'weekly_report'),
      (check) => check.last_result?.reason === 'missed',
      40_000,
    );
    // Due at the stored ping plus interval and grace (25 s), however long the restart took within them.
    expect(Date.parse(missed.last_result!.started_at)).toBe(heardAt + 25_000);
  }, 60_000);
});

// The public page and `GET /api/v1/status` are rendered once per revision of their source and reused until it moves
// on: a new incident or a new figures snapshot shows at the next request, without waiting for a TTL; new results show
// once the render is a few seconds old. Private views are always rendered afresh.

import { afterEach, describe, expect, it } from 'vitest';
import { demoData, FakeStatusSource, MIN } from '../../unit/status/fake-status-source.js';
import { startStatusServer, type StatusServer } from './status-server.js';

const TOKEN = 'reuse-admin-token';

/** The demo source with a revision and a count of result batches the test moves on, as the prober does. */
class RevisedSource extends FakeStatusSource {
  changes = 0;
  batches = 0;
  revision(): string {
    return String(this.changes);
  }
  resultBatches(): number {
    return this.batches;
  }
}

/** How long a render is reused after new results, here: short, so the test need not wait the shipped 5 s. */
const RESULT_LAG_MS = 300;

let server: StatusServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<{ source: RevisedSource; url: string }> {
  const source = new RevisedSource(demoData());
  server = await startStatusServer(source, TOKEN, { resultLagMs: RESULT_LAG_MS });
  return { source, url: server.url };
}

const text = async (url: string, headers: Record<string, string> = {}): Promise<string> =>
  (await fetch(url, { headers })).text();

describe('reusing the rendered status page', () => {
  it('renders the public page and JSON once per revision, in each encoding', async () => {
    const { source, url } = await start();
    const first = await text(`${url}/`);
    expect(await text(`${url}/`)).toBe(first);
    await text(`${url}/`, { 'accept-encoding': 'identity' });
    const json = await text(`${url}/api/v1/status`);
    expect(await text(`${url}/api/v1/status`)).toBe(json);
    // One read for the gzipped page, one for the plain one, one for the JSON.
    expect(source.incidentQueries).toHaveLength(3);
  });

  it('shows new results once its render is a few seconds old, not at every request', async () => {
    const { source, url } = await start();
    expect(await text(`${url}/`)).toContain('Search API: <span class="t-operational">Operational</span>');
    const check = source.data.checks.find((c) => c.id === 'api_search')!;
    Object.assign(check, { status: 'down', reason: 'timeout', message: 'no answer within 5 s', at: source.data.now });
    source.batches++;
    expect(await text(`${url}/`)).toContain('Search API: <span class="t-operational">Operational</span>');
    await new Promise((resolve) => setTimeout(resolve, RESULT_LAG_MS + 50));
    expect(await text(`${url}/`)).toContain('Search API: <span class="t-down">Down</span> (timeout)');
    const body = JSON.parse(await text(`${url}/api/v1/status`)) as {
      components: Array<{ checks: Array<{ id: string; status: string }> }>;
    };
    const checks = body.components.flatMap((component) => component.checks);
    expect(checks.find((c) => c.id === 'api_search')?.status).toBe('down');
  });

  it('shows a new incident at the next request', async () => {
    const { source, url } = await start();
    expect(await text(`${url}/`)).not.toContain('Search API · since');
    source.data.incidents = [
      ...(source.data.incidents ?? []),
      {
        id: 'inc-search',
        checkId: 'api_search',
        openedAt: source.data.now - 3 * MIN,
        firstReason: 'timeout',
        firstMessage: 'no answer within 5 s',
        lastMessage: 'no answer within 5 s',
        failures: 3,
      },
    ];
    source.changes++;
    expect(await text(`${url}/`)).toMatch(/<span class="name">Search API<\/span><span class="state t-down">Ongoing/);
  });

  it('renders private views afresh every time', async () => {
    const { source, url } = await start();
    await text(`${url}/?token=${TOKEN}`);
    await text(`${url}/api/v1/status`, { authorization: `Bearer ${TOKEN}` });
    const check = source.data.checks.find((c) => c.id === 'db_primary')!;
    Object.assign(check, { status: 'healthy', message: 'connected in 3 ms', at: source.data.now });
    expect(await text(`${url}/?token=${TOKEN}`)).toContain('Primary database: <span class="t-operational">');
    expect(source.incidentQueries).toHaveLength(3);
  });
});

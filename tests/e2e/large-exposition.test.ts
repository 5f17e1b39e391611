// A /metrics page of several megabytes, as a prober with thousands of checks serves it: it is written in chunks,
// waiting for the client between them, and neither gzip nor plain scrapes may leak listeners doing so.

import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpTarget } from '../helpers/http-target-server.js';
import { startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';
import { waitFor } from '../helpers/wait-for.js';

const CHECKS = 1_500;

let target: { url: string; close(): Promise<void> };
let vigil: VigilProcess;

beforeAll(async () => {
  target = await startHttpTarget();
  const lines = ['groups:', '  - name: many', '    interval: 1m', '    checks:'];
  for (let i = 0; i < CHECKS; i++) lines.push(`      - {id: check_${i}, endpoint: {url: "${target.url}/ok"}}`);
  vigil = await startVigil(writeConfigDir({ 'checks.yml': `${lines.join('\n')}\n` }));
});

afterAll(async () => {
  await vigil?.stop();
  await target?.close();
});

/** GET /metrics over a raw request, optionally asking for gzip, and the body as received. */
function getMetrics(gzip: boolean): Promise<{ encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL('/metrics', vigil.baseUrl);
    const headers = gzip ? { 'accept-encoding': 'gzip' } : {};
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('a large /metrics page', () => {
  it('arrives whole, plain and gzipped, with no listener leak warned about', async () => {
    for (let scrape = 0; scrape < 3; scrape++) {
      const plain = await getMetrics(false);
      const gzipped = await getMetrics(true);
      expect(gzipped.encoding).toBe('gzip');
      const text = plain.body.toString('utf8');
      // Large enough to be written in dozens of chunks: the case the leak needs.
      expect(plain.body.length).toBeGreaterThan(2 * 1024 * 1024);
      expect(text.match(/^uptime_check_status\{/gm)).toHaveLength(CHECKS);
      expect(text.endsWith('\n')).toBe(true);
      expect(
        gunzipSync(gzipped.body)
          .toString('utf8')
          .match(/^uptime_check_status\{/gm),
      ).toHaveLength(CHECKS);
    }
    // Warnings are printed asynchronously; give the process a moment by asking it once more.
    await waitFor(async () => (await fetch(`${vigil.baseUrl}/-/healthy`)).ok, 5_000);
    expect(vigil.output()).not.toContain('MaxListenersExceededWarning');
  });
});

// When a restarted prober says ready (`GET /-/ready` 200), its figures are there: the first scrape carries every
// check's SLA from the stored history, and the status page shows it, rather than a scrape of NaN figures and a page
// that computes a month of history for its first visitor.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpTarget } from '../helpers/http-target-server.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { probeHistory, seedStore } from '../helpers/stored-history.js';
import { sampleValue, scrape, startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CHECKS = 30;

let target: { url: string; close(): Promise<void> };
let vigil: VigilProcess;

beforeAll(async () => {
  target = await startHttpTarget();
  const dataDir = makeTempDir('vigil-e2e-ready');
  const now = Date.now();
  // A week a minute apart for CHECKS checks, so the start has days to roll up and a week to sum (about a second's
  // work); each check down all through the first half of the last 24 hours, healthy otherwise.
  const ids = Array.from({ length: CHECKS }, (_, index) => `api_${index}`);
  const history = ids.flatMap((id) =>
    probeHistory(id, now - 7 * DAY, now - MINUTE, MINUTE, (at) =>
      at >= now - DAY && at < now - DAY / 2
        ? { status: 'down', reason: 'status_code', message: 'HTTP 503, expected 200' }
        : undefined,
    ),
  );
  await seedStore(dataDir, history);
  const configDir = writeConfigDir({
    'checks.yml': `
defaults: {interval: 60s}
checks:
${ids.map((id) => `  - {id: ${id}, endpoint: {url: "${target.url}/ok"}}`).join('\n')}
`,
    'status-page.yml': `
title: Acme status
components:
  - {id: api, name: API, checks: [${ids.join(', ')}]}
`,
  });
  vigil = await startVigil(configDir, { args: ['--data-dir', dataDir] });
});

afterAll(async () => {
  await vigil?.stop();
  await target?.close();
});

describe('a prober restarted on its history', () => {
  it('has the SLA figures on its first scrape once ready', async () => {
    const text = await scrape(vigil.baseUrl);
    const day = sampleValue(text, 'uptime_sla_percent', { check: 'api_7', window: '24h' });
    expect(day).toBeGreaterThan(49);
    expect(day).toBeLessThan(51.5);
    expect(sampleValue(text, 'uptime_sla_percent', { check: 'api_7', window: '7d' })).toBeGreaterThan(92);
  });

  it('shows the same figures on the status page', async () => {
    const status = (await (await fetch(`${vigil.baseUrl}/api/v1/status`)).json()) as {
      components: { id: string; uptime: Record<string, { percent: number | null }> }[];
    };
    const day = status.components.find((component) => component.id === 'api')?.uptime['24h']?.percent;
    expect(day).toBeGreaterThan(49);
    expect(day).toBeLessThan(51.5);
  });
});

// The README's first command: `vigil start --demo` on the shipped config shows every status within a minute.

import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT, runVigil, sampleValue, scrape, startVigil, type VigilProcess } from '../helpers/vigil-process.js';
import { waitFor } from '../helpers/wait-for.js';

let vigil: VigilProcess | undefined;

afterAll(async () => {
  await vigil?.stop();
});

it('the shipped config is valid', () => {
  const { code, stdout } = runVigil(['check-config', '--config-dir', path.join(REPO_ROOT, 'config')]);
  expect(stdout).toMatch(/valid, \d+ checks/);
  expect(code).toBe(0);
});

it('shows the demo checks in every status within 60 s', async () => {
  const started = Date.now();
  // The demo target binds port 0 and hands its URL to the checks itself; the shipped self-checks need the prober's
  // port in VIGIL_PROBER_PORT before the start.
  vigil = await startVigil(path.join(REPO_ROOT, 'config'), {
    command: 'start',
    args: ['--demo', '--demo-listen', '127.0.0.1:0'],
    proberPortInEnv: true,
  });
  const initial = await scrape(vigil.baseUrl);
  expect(sampleValue(initial, 'uptime_check_status', { check: 'demo_failing' })).toBe(3);

  const seen = new Map<string, Set<number>>();
  await waitFor(
    async () => {
      const text = await scrape(vigil!.baseUrl);
      for (const check of ['demo_healthy', 'demo_slow', 'demo_flaky', 'demo_failing', 'prober_health', 'prober_port']) {
        const value = sampleValue(text, 'uptime_check_status', { check });
        if (value !== undefined) seen.set(check, (seen.get(check) ?? new Set()).add(value));
      }
      return (
        seen.get('demo_healthy')!.has(0) &&
        seen.get('demo_slow')!.has(1) &&
        seen.get('demo_failing')!.has(2) &&
        seen.get('prober_health')!.has(0) &&
        seen.get('prober_port')!.has(0)
      );
    },
    60_000 - (Date.now() - started),
    () => `every status; seen ${JSON.stringify([...seen].map(([k, v]) => [k, [...v]]))}`,
  );
  expect(Date.now() - started).toBeLessThan(60_000);
}, 70_000);

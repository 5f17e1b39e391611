// `vigil diagnose` as a user runs it: the built CLI on the store of a stopped Vigil, seeded with the history a
// prober would have written (a DNS name that stopped resolving), and the same store while a prober has it open.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHistory, seedStore } from '../helpers/stored-history.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { runVigil, startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';

interface DiagnosisJson {
  check: string;
  diagnosed_at: string;
  summary: string;
  probable_cause: string | null;
  evidence: string[];
  recommendations: string[];
  confidence: string;
  source: string;
  evidence_sources: Array<{ source: string; available: boolean; note?: string }>;
}

const MINUTE = 60_000;
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const DNS_FAILURE = 'NXDOMAIN: A www.example.com from 10.0.0.53:5353: the name does not exist';

const CHECKS_YML = `
checks:
  - {id: www_dns, name: WWW DNS, type: dns, target: www.example.com, server: "10.0.0.53:5353", service: www,
     component: edge, interval: 60s, timeout: 5s}
  - {id: api_root, name: API Root, endpoint: {url: "http://api.internal:8080/"}, service: api, component: backend,
     interval: 60s, timeout: 5s}
  - {id: never_run, endpoint: {url: "http://never.internal/"}}
`;

let configDir: string;
let dataDir: string;

beforeAll(async () => {
  configDir = writeConfigDir({ 'checks.yml': CHECKS_YML });
  dataDir = makeTempDir('vigil-data');
  // Two hours of probes every minute; the last four of www_dns fail to resolve the name.
  const failing = (at: number) =>
    at >= NOW - 4 * MINUTE
      ? { status: 'down' as const, reason: 'dns' as const, message: DNS_FAILURE, phases: { dns: 12 } }
      : undefined;
  await seedStore(dataDir, [
    ...probeHistory('www_dns', NOW - 120 * MINUTE, NOW, MINUTE, failing),
    ...probeHistory('api_root', NOW - 120 * MINUTE, NOW, MINUTE),
  ]);
});

const diagnose = (...args: string[]) =>
  runVigil(['diagnose', ...args, '--config-dir', configDir, '--data-dir', dataDir]);

describe('vigil diagnose on a stopped Vigil', () => {
  it('prints what a person needs of a DNS failure: summary, cause, evidence, next steps, confidence, sources', () => {
    const { code, stdout, stderr } = diagnose('www_dns');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^www_dns \(WWW DNS\): DNS resolution of www\.example\.com fails/);
    expect(stdout).toMatch(
      /Probable cause: Likely a DNS problem with www\.example\.com: .*NXDOMAIN.*resolver 10\.0\.0\.53:5353/,
    );
    expect(stdout).toContain('Confidence:     high');
    expect(stdout).toContain('Source:         rules');
    expect(stdout).toMatch(/Evidence:\n {2}- www_dns \(WWW DNS\): 4 consecutive failed results since/);
    expect(stdout).toMatch(/Recommendations:\n {2}- dig @10\.0\.0\.53 -p 5353 www\.example\.com A/);
    expect(stdout).toMatch(/Evidence available \(diagnosed at .*\):\n {2}- store: results of the last 60 min/);
  });

  it('answers --json with the diagnosis object, the check and the evidence sources', () => {
    const { code, stdout } = diagnose('www_dns', '--json', '--lookback', '30m');
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as DiagnosisJson;
    expect(answer).toMatchObject({ check: 'www_dns', confidence: 'high', source: 'rules' });
    expect(answer.summary).toContain('DNS resolution of www.example.com fails');
    expect(answer.probable_cause).toContain('NXDOMAIN');
    expect(answer.recommendations).toContain('dig @10.0.0.53 -p 5353 www.example.com A');
    expect(answer.evidence.some((item) => /^www_dns \(WWW DNS\): 4 consecutive failed results/.test(item))).toBe(true);
    expect(answer.evidence_sources).toHaveLength(1);
    expect(answer.evidence_sources[0]).toMatchObject({ source: 'store', available: true });
    expect(answer.evidence_sources[0]!.note).toContain('results of the last 30 min');
    expect(Date.parse(answer.diagnosed_at)).toBeGreaterThanOrEqual(NOW);
  });

  it('says there is insufficient evidence for a healthy check, with what it looked at', () => {
    const { code, stdout } = diagnose('api_root', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      summary: 'insufficient evidence: no rule fits api_root',
      probable_cause: null,
      confidence: 'low',
    });
  });

  it('exits 1 with a clear message for an unknown check', () => {
    const unknown = diagnose('wwww_dns');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^vigil: unknown check `wwww_dns` \(not in .*checks\.yml\)\n$/);
  });

  it('exits 1 with a clear message for a check without data, or without a store', () => {
    const neverRun = diagnose('never_run');
    expect(neverRun.code).toBe(1);
    expect(neverRun.stderr).toMatch(/no data for check `never_run`: the store has no result of it/);

    const empty = runVigil(['diagnose', 'www_dns', '--config-dir', configDir, '--data-dir', makeTempDir('vigil-none')]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no Vigil store at .*vigil\.db: point --data-dir at the data directory/);
  });

  it('exits 1 naming the newest result when nothing falls in the lookback', async () => {
    const old = makeTempDir('vigil-data');
    await seedStore(old, probeHistory('api_root', NOW - 10 * 60 * MINUTE, NOW - 9 * 60 * MINUTE, MINUTE));
    const stale = runVigil(['diagnose', 'api_root', '--config-dir', configDir, '--data-dir', old]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(
      /no data for check `api_root` in the last 1 hour: its newest result is from .* ago\); try a longer --lookback/,
    );
    expect(
      runVigil(['diagnose', 'api_root', '--config-dir', configDir, '--data-dir', old, '--lookback', '10h']).code,
    ).toBe(0);
  });

  it('exits 2 for a bad flag or an invalid configuration', () => {
    expect(diagnose('www_dns', '--lookback', 'soon').code).toBe(2);
    const broken = writeConfigDir({ 'checks.yml': 'checks:\n  - {id: www_dns, interval: 1s}\n' });
    const invalid = runVigil(['diagnose', 'www_dns', '--config-dir', broken, '--data-dir', dataDir]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/checks\.yml:\d+:\d+: /);
  });
});

describe('vigil diagnose beside a running Vigil', () => {
  let vigil: VigilProcess;

  beforeAll(async () => {
    // The prober holds the store open (its checks disabled, so it adds no results of its own).
    const runningConfig = writeConfigDir({
      'checks.yml': CHECKS_YML.replace(/interval: 60s/g, 'interval: 60s, enabled: false'),
    });
    vigil = await startVigil(runningConfig, { args: ['--data-dir', dataDir] });
  });

  afterAll(async () => {
    await vigil?.stop();
  });

  it('reads the store the prober has open, and leaves the prober serving', async () => {
    const { code, stdout } = diagnose('www_dns', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ check: 'www_dns', confidence: 'high' });
    expect((await fetch(`${vigil.baseUrl}/-/ready`)).status).toBe(200);
  });
});

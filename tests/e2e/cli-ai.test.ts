// `vigil diagnose` and `vigil report` with an AI configured (OPENAI_BASE_URL at a local server speaking chat
// completions): the AI's answer is shown when valid, the rules' diagnosis or the built insight when it fails.

import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChatCompletionsServer, apiError, completion } from '../helpers/chat-completions-server.js';
import { probeHistory, seedStore } from '../helpers/stored-history.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { CLI, writeConfigDir } from '../helpers/vigil-process.js';

const MINUTE = 60_000;
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const DNS_FAILURE = 'NXDOMAIN: A www.example.com: the name does not exist';
const CHECKS_YML = `
checks:
  - {id: www_dns, name: WWW DNS, type: dns, target: www.example.com, service: www, interval: 60s, timeout: 5s}
`;

const server = new ChatCompletionsServer();
let baseUrl: string;
let configDir: string;
let dataDir: string;

beforeAll(async () => {
  baseUrl = await server.start();
  configDir = writeConfigDir({ 'checks.yml': CHECKS_YML });
  dataDir = makeTempDir('vigil-data');
  await seedStore(
    dataDir,
    probeHistory('www_dns', NOW - 60 * MINUTE, NOW, MINUTE, (at) =>
      at >= NOW - 3 * MINUTE ? { status: 'down', reason: 'dns', message: DNS_FAILURE } : undefined,
    ),
  );
});

afterAll(async () => {
  await server.stop();
});

beforeEach(() => {
  server.reset();
});

/** Runs the CLI without blocking this process, which serves the AI's answers meanwhile. */
function vigil(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args, '--config-dir', configDir, '--data-dir', dataDir], {
    env: { ...process.env, OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: 'sk-test-key' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const AI_ANSWER = {
  summary: 'www.example.com no longer resolves',
  probable_cause: 'The A record of www.example.com was probably removed from its zone.',
  evidence: ['3 consecutive NXDOMAIN answers'],
  recommendations: ['Look at the latest change to the example.com zone.'],
  confidence: 'medium',
};

describe('vigil diagnose with an AI', () => {
  it('shows the AI’s answer on top of the rule findings', async () => {
    server.script = () => ({ status: 200, body: completion(JSON.stringify(AI_ANSWER)) });
    const { code, stdout } = await vigil('diagnose', 'www_dns', '--json');
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as { summary: string; source: string; recommendations: string[] };
    expect(answer).toMatchObject({ summary: AI_ANSWER.summary, source: 'ai', confidence: 'medium' });
    expect(answer.recommendations).toContain('dig www.example.com A');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.rawBody).toContain('www.example.com');
    expect(server.requests[0]!.rawBody).not.toContain('sk-test-key');
  });

  it('falls back to the rules, saying why, when the AI fails', async () => {
    server.script = () => ({ status: 500, body: apiError('overloaded', 'server_error') });
    const { code, stdout } = await vigil('diagnose', 'www_dns');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^www_dns \(WWW DNS\): DNS resolution of www\.example\.com fails/);
    expect(stdout).toContain('Source:         rules (the AI gave no answer: server_error)');
  });
});

describe('vigil report with an AI', () => {
  it('shows the AI’s insight, written from the figures alone', async () => {
    const text = 'Uptime was dragged down by www_dns, whose DNS name stopped resolving: start there.';
    server.script = () => ({ status: 200, body: completion(text) });
    const { code, stdout } = await vigil('report', '--json');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { insight: unknown }).insight).toEqual({ text, source: 'ai' });
    const sent = server.requests[0]!.rawBody;
    expect(sent).toContain('www_dns');
    expect(sent).toContain('uptime_percent');
    // Messages may quote a server's answer or a URL: only the reason goes.
    expect(sent).not.toContain('NXDOMAIN');
  });

  it('shows the built sentences when the AI’s answer is cut at max_tokens', async () => {
    server.script = () => ({ status: 200, body: completion('Uptime was', { finishReason: 'length' }) });
    const { code, stdout } = await vigil('report');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /Insight \(from the figures; the AI gave none: truncated\)\nOver the last 24 hours, the one check was up/,
    );
  });
});

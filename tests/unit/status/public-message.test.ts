import { describe, expect, it } from 'vitest';
import { neutralMessage, neutralReason } from '../../../src/status/public-message.js';
import { renderStatusPage } from '../../../src/status/status-html.js';
import { statusJson } from '../../../src/status/status-json.js';
import { buildStatusView } from '../../../src/status/status-view.js';
import { demoData, FakeStatusSource, NOW } from './fake-status-source.js';

const HOST_PORT = /\b(?:\d{1,3}\.){3}\d{1,3}:\d+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)+:\d+/i;
const PROBE_MESSAGE = 'timed out after 3000 ms waiting for a response matching /^220/ from 127.0.0.1:19481';

describe('neutral messages', () => {
  it.each([
    ['down', 'timeout', 'not responding'],
    ['down', 'connect', 'not reachable'],
    ['down', 'dns', 'name does not resolve'],
    ['down', 'tls', 'certificate problem'],
    ['down', 'status_code', 'unexpected answer'],
    ['down', 'body', 'unexpected answer'],
    ['degraded', 'slow', 'responding slowly'],
    ['healthy', undefined, 'responding normally'],
    ['unknown', undefined, 'not checked yet'],
  ] as const)('%s (%s) reads "%s"', (status, reason, words) => {
    expect(neutralMessage(status, reason)).toBe(words);
  });

  it('words an incident reason stored by another version as a failed check', () => {
    expect(neutralReason('certificate')).toBe('check failed');
    expect(neutralReason('tls')).toBe('certificate problem');
  });
});

describe('the status page and /api/v1/status without the admin token', () => {
  function scenario(): ReturnType<typeof demoData> {
    const data = demoData();
    const api = data.checks.find((check) => check.id === 'api_root')!;
    Object.assign(api, { status: 'down', reason: 'timeout', message: PROBE_MESSAGE });
    for (const incident of data.incidents ?? []) Object.assign(incident, { lastMessage: PROBE_MESSAGE });
    return data;
  }

  it('show no probe message, no host:port, only neutral words', async () => {
    const view = await buildStatusView(new FakeStatusSource(scenario()), { includePrivate: false });
    const page = renderStatusPage(view);
    const json = JSON.stringify(statusJson(view));
    for (const text of [page, json]) {
      expect(text).not.toMatch(HOST_PORT);
      expect(text).not.toContain('timed out after');
      expect(text).toContain('not responding');
    }
  });

  it('show the raw message in the private view, or to everyone with raw_messages: true', async () => {
    const privateView = await buildStatusView(new FakeStatusSource(scenario()), { includePrivate: true });
    expect(renderStatusPage(privateView)).toContain(PROBE_MESSAGE);
    const optedIn = scenario();
    optedIn.settings.rawMessages = true;
    const publicView = await buildStatusView(new FakeStatusSource(optedIn), { includePrivate: false });
    expect(JSON.stringify(statusJson(publicView))).toContain(PROBE_MESSAGE);
    expect(publicView.generatedAt).toBe(NOW);
  });
});

import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../../src/status/html.js';
import { renderStatusPage } from '../../../src/status/status-html.js';
import { buildStatusView } from '../../../src/status/status-view.js';
import { demoData, FakeStatusSource, NOW, type FakeData } from './fake-status-source.js';

const HOSTILE_NAME = '<script>alert(1)</script>';
const HOSTILE_MESSAGE = '"><img src=x onerror=alert(1)> & </p>';

function hostileData(): FakeData {
  const data = demoData();
  data.settings.title = 'Acme <b>status</b>';
  data.settings.components[0]!.name = `Web ${HOSTILE_NAME}`;
  data.checks[0] = { ...data.checks[0]!, name: HOSTILE_NAME, status: 'down', reason: 'body', message: HOSTILE_MESSAGE };
  data.incidents = [
    {
      id: 'inc-x',
      checkId: 'web_home',
      openedAt: NOW - 60_000,
      firstReason: 'body',
      firstMessage: HOSTILE_MESSAGE,
      lastMessage: HOSTILE_MESSAGE,
      failures: 1,
    },
  ];
  return data;
}

async function page(data: FakeData, includePrivate = false): Promise<string> {
  return renderStatusPage(await buildStatusView(new FakeStatusSource(data), { includePrivate }));
}

describe('renderStatusPage', () => {
  it('escapes names, titles and messages from config and targets', async () => {
    const data = hostileData();
    data.settings.rawMessages = true;
    const text = await page(data);
    expect(text).not.toContain('<script');
    expect(text).not.toContain('<img');
    expect(text).not.toContain('<b>status</b>');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // In element content (the incident message) and in attributes (the check's tooltip).
    expect(text).toContain('<p class="msg">&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/p&gt;</p>');
    expect(text).toContain('title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/p&gt; (checked');
  });

  it('shows the overall status, components with status words, uptime and 90 bars with tooltips', async () => {
    const text = await page(demoData());
    expect(text).toContain('<p class="banner s-partial_outage" role="status">Partial outage</p>');
    expect(text).toMatch(
      /<span class="name">Public API<\/span>.*<span class="state t-partial_outage">Partial outage<\/span>/s,
    );
    expect(text).toContain('<li class="breached">24 hours <b>98.20 %</b></li>');
    expect(text).toContain('<li>SLA target <b>99.95 %</b></li>');
    expect(text.match(/role="img" title="/g)).toHaveLength(2 * 90);
    expect(text).toContain('<span class="major" role="img" title="2026-11-17: 97.50 % up, 36 min down"></span>');
    expect(text).toContain('API root: <span class="t-down">Down</span> (timeout)');
  });

  it('shows current and past incidents and scheduled maintenance', async () => {
    const data = demoData();
    data.settings.rawMessages = true;
    const text = await page(data);
    expect(text).toContain('<h2 id="current-title">Current incidents</h2>');
    expect(text).toContain('no answer within 5 s (upstream api-7 not responding)');
    expect(text).toContain('Public API · since 2026-11-20 11:34 UTC (26 min) · 52 failed checks · reason: timeout');
    expect(text).toContain('Website · 2026-11-18 11:20 – 11:32 UTC (12 min) · 24 failed checks · reason: status_code');
    expect(text).toContain(
      '<span class="name">Website deployment</span><span class="state t-maintenance">Scheduled</span>',
    );
    expect(text).not.toContain('Redis upgrade');
  });

  it('is a refreshing document without scripts or outside resources, with the generated time', async () => {
    const text = await page(demoData());
    expect(text.startsWith('<!doctype html>')).toBe(true);
    expect(text).toContain('<meta http-equiv="refresh" content="60">');
    expect(text).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    expect(text).toContain('Generated <time datetime="2026-11-20T12:00:00.000Z">2026-11-20 12:00 UTC</time>');
  });

  it('marks the private view and keeps it out of search engines', async () => {
    const text = await page(demoData(), true);
    expect(text).toContain('Private view: private components are shown');
    expect(text).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(text).toContain('<span class="name">Infrastructure</span><span class="tag">private</span>');
    expect(text.match(/class="tag"/g)).toHaveLength(1);
    const publicText = await page(demoData());
    expect(publicText).not.toContain('Private view');
    expect(publicText).not.toContain('robots');
    expect(publicText).not.toContain('Infrastructure');
  });

  // How fast it renders is not asserted here (a timed assertion fails on a loaded machine, not on slow code).
  it('renders 50 components × 90 bars', async () => {
    const data = demoData();
    const components = Array.from({ length: 50 }, (_, index) => ({
      id: `c${index}`,
      name: `Component ${index}`,
      checks: ['web_home', 'web_login'],
      public: true,
    }));
    data.settings.components = components;
    const view = await buildStatusView(new FakeStatusSource(data), { includePrivate: false });
    const text = renderStatusPage(view);
    expect(text.match(/role="img"/g)).toHaveLength(50 * 90);
  });
});

describe('html tag', () => {
  it('escapes interpolated text and arrays but not nested html', () => {
    const items = ['<a>', html`<i>${'&'}</i>`];
    expect(html`<p title="${`"x'`}">${items}${false}${undefined}${3}</p>`.value).toBe(
      '<p title="&quot;x&#39;">&lt;a&gt;<i>&amp;</i>3</p>',
    );
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});

// config.yml `receiver.prober_url`: the prober's API a receiver reads diagnosis evidence from when it shares no
// store with the prober. Taken without its trailing slash; anything but an http(s) URL is refused at the setting.

import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { loadDir, loadedConfig, problemLines, writeConfigDir } from './fixtures.js';

const CHECKS = 'checks:\n  - {id: homepage, endpoint: {url: "https://example.com/"}}\n';

let remove: (() => void) | undefined;
afterEach(() => remove?.());

function load(configYml: string, env: Record<string, string> = {}) {
  const written = writeConfigDir({ 'checks.yml': CHECKS, 'config.yml': configYml });
  remove = written.remove;
  const result = loadDir(written.dir, env);
  const file = path.join(written.dir, 'config.yml');
  return { result, problems: () => problemLines(result).map((line) => line.replace(file, 'config.yml')) };
}

describe('receiver.prober_url', () => {
  it('is absent unless set', () => {
    expect(loadedConfig(load('receiver: {}\n').result).settings.receiver).not.toHaveProperty('proberUrl');
  });

  it('is taken without its trailing slash, templates included', () => {
    const { result } = load('receiver:\n  prober_url: "{{ PROBER }}"\n', { PROBER: 'http://prober:9470/' });
    expect(loadedConfig(result).settings.receiver.proberUrl).toBe('http://prober:9470');
  });

  it.each([
    ['not http(s)', 'ftp://prober:9470', '`ftp://prober:9470`'],
    ['no scheme', 'prober:9470', '`prober:9470`'],
    ['http(s) but no URL (a port that is not a number)', 'http://prober:port', '`http://prober:port`'],
  ])('refuses a value with %s, naming the setting', (_case, value, shown) => {
    expect(load(`receiver:\n  prober_url: ${value}\n`).problems()).toEqual([
      `config.yml:2:15: receiver.prober_url: must be an http:// or https:// URL, got ${shown}`,
    ]);
  });

  it('does not show a value that came from the environment', () => {
    const { problems } = load('receiver:\n  prober_url: "{{ PROBER }}"\n', { PROBER: 'http://user:pw@[prober' });
    expect(problems()).toEqual([
      'config.yml:2:15: receiver.prober_url: must be an http:// or https:// URL, got a value from the environment (not shown)',
    ]);
  });
});

// The configs `vigil stack` writes: the repo's prometheus.yml and alertmanager.yml pointed at this run's addresses,
// token file and rules, with shorter loops only where asked; and the message for a server missing from the PATH.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { rewriteAlertmanagerConfig } from '../../../src/stack/alertmanager-config.js';
import { findStackBinaries, MissingBinaryError } from '../../../src/stack/binaries.js';
import { rewritePrometheusConfig } from '../../../src/stack/prometheus-config.js';
import { connectAddress } from '../../../src/stack/stack.js';
import { makeTempDir } from '../../helpers/temp-dirs.js';

const PROMETHEUS_YML = `
global: {scrape_interval: 15s, evaluation_interval: 30s}
rule_files: [rules/a.yml, /abs/b.yml]
alerting: {alertmanagers: [{static_configs: [{targets: ["localhost:9093"]}]}]}
scrape_configs:
  - {job_name: vigil-prober, scrape_timeout: 10s, static_configs: [{targets: ["localhost:9470"]}]}
  - {job_name: vigil-receiver, static_configs: [{targets: ["localhost:9471"]}]}
  - {job_name: node, static_configs: [{targets: ["localhost:9100"]}]}
`;

const ALERTMANAGER_YML = `
route:
  receiver: vigil
  group_wait: 30s
  group_interval: 5m
  routes:
    - {matchers: [severity="critical"], receiver: vigil, group_wait: 10s}
    - {matchers: [severity="warning"], receiver: vigil}
receivers:
  - name: vigil
    webhook_configs:
      - url: http://localhost:9471/api/v1/alertmanager
        http_config: {authorization: {type: Bearer, credentials_file: secrets/vigil-webhook-token}}
  - name: elsewhere
    webhook_configs: [{url: "http://example.com/hook"}]
`;

interface PrometheusFile {
  global: Record<string, string>;
  rule_files: string[];
  alerting: { alertmanagers: unknown[] };
  scrape_configs: Array<{ job_name: string; scrape_timeout?: string; static_configs: unknown }>;
}

type Route = Record<string, string | undefined> & { routes?: Route[] };

interface AlertmanagerFile {
  route: Route & { routes: Route[] };
  receivers: Array<{ webhook_configs: unknown[] }>;
}

const prometheusFile = (text: string): PrometheusFile => parse(text) as PrometheusFile;
const alertmanagerFile = (text: string): AlertmanagerFile => parse(text) as AlertmanagerFile;

const targets = { prober: '127.0.0.1:1', receiver: '127.0.0.1:2', alertmanager: '127.0.0.1:3' };

describe('rewritePrometheusConfig', () => {
  it('points the vigil jobs and the alertmanager at this run and makes rule files absolute', () => {
    const config = prometheusFile(rewritePrometheusConfig(PROMETHEUS_YML, { targets, sourceDir: '/repo/prometheus' }));
    expect(config.rule_files).toEqual(['/repo/prometheus/rules/a.yml', '/abs/b.yml']);
    expect(config.alerting.alertmanagers).toEqual([{ static_configs: [{ targets: ['127.0.0.1:3'] }] }]);
    expect(config.scrape_configs.map((job) => job.static_configs)).toEqual([
      [{ targets: ['127.0.0.1:1'] }],
      [{ targets: ['127.0.0.1:2'] }],
      [{ targets: ['localhost:9100'] }],
    ]);
    expect(config.global).toEqual({ scrape_interval: '15s', evaluation_interval: '30s' });
  });

  it('cuts a scrape timeout longer than a shorter scrape interval, which Prometheus would refuse', () => {
    const config = prometheusFile(
      rewritePrometheusConfig(PROMETHEUS_YML, {
        targets,
        sourceDir: '/repo/prometheus',
        timing: { scrapeInterval: '1s', evaluationInterval: '2s' },
      }),
    );
    expect(config.global).toEqual({ scrape_interval: '1s', evaluation_interval: '2s' });
    expect(config.scrape_configs[0]?.scrape_timeout).toBe('1s');
    expect(config.scrape_configs[1]?.scrape_timeout).toBeUndefined();
  });
});

describe('rewriteAlertmanagerConfig', () => {
  it("points Vigil's webhook at this run's receiver with the token file, and leaves other webhooks alone", () => {
    const config = alertmanagerFile(
      rewriteAlertmanagerConfig(ALERTMANAGER_YML, { receiverUrl: 'http://127.0.0.1:2/', tokenFile: '/data/t' }),
    );
    expect(config.receivers[0]?.webhook_configs[0]).toEqual({
      url: 'http://127.0.0.1:2/api/v1/alertmanager',
      http_config: { authorization: { type: 'Bearer', credentials_file: '/data/t' } },
    });
    expect(config.receivers[1]?.webhook_configs[0]).toEqual({ url: 'http://example.com/hook' });
    expect(config.route.group_wait).toBe('30s');
  });

  it('sets shorter timers on the root route and only on the child routes that set their own', () => {
    const config = alertmanagerFile(
      rewriteAlertmanagerConfig(ALERTMANAGER_YML, {
        receiverUrl: 'http://127.0.0.1:2',
        tokenFile: '/data/t',
        timing: { groupWait: '1s', groupInterval: '2s' },
      }),
    );
    expect(config.route).toMatchObject({ group_wait: '1s', group_interval: '2s' });
    expect(config.route.routes[0]).toMatchObject({ group_wait: '1s' });
    expect(config.route.routes[0]?.group_interval).toBeUndefined();
    expect(config.route.routes[1]?.group_wait).toBeUndefined();
  });
});

describe('connectAddress', () => {
  it.each([
    [{ host: '0.0.0.0', port: 9090 }, '127.0.0.1:9090'],
    [{ host: '::', port: 9090 }, '[::1]:9090'],
    [{ host: '10.0.0.5', port: 9093 }, '10.0.0.5:9093'],
    [{ host: '::1', port: 9471 }, '[::1]:9471'],
  ])('%o is reached at %s', (listen, expected) => {
    expect(connectAddress(listen)).toBe(expected);
  });
});

describe('findStackBinaries', () => {
  it('finds both servers, Alertmanager under its Debian name or its upstream one', () => {
    const dir = makeTempDir('vigil-bin');
    for (const name of ['prometheus', 'alertmanager']) {
      writeFileSync(path.join(dir, name), '#!/bin/sh\n', { mode: 0o755 });
    }
    expect(findStackBinaries(`/nonexistent:${dir}`)).toEqual({
      prometheus: path.join(dir, 'prometheus'),
      alertmanager: path.join(dir, 'alertmanager'),
    });
  });

  it('names the Debian package of every server it cannot find, and skips what is not an executable file', () => {
    const dir = makeTempDir('vigil-bin');
    mkdirSync(path.join(dir, 'prometheus'));
    writeFileSync(path.join(dir, 'prometheus-alertmanager'), 'not executable', { mode: 0o644 });
    const error = (() => {
      try {
        findStackBinaries(dir);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MissingBinaryError);
    expect((error as MissingBinaryError).missing).toEqual(['prometheus', 'alertmanager']);
    expect((error as Error).message).toContain('apt-get install prometheus prometheus-alertmanager');
  });
});

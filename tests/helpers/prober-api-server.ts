// The prober's HTTP app as prober-role.ts mounts it (the checks, results and incidents API), over a store a test has
// filled, without running any probe: what a receiver deployed apart from its prober reads its evidence from.

import express, { type RequestHandler } from 'express';
import { pino } from 'pino';
import { proberApi } from '../../src/http/prober/api.js';
import { createProberApp, type ProberView } from '../../src/http/prober/app.js';
import { startHttpServer, type HttpServer } from '../../src/http/server.js';
import type { CheckDefinition } from '../../src/model/check.js';
import type { Store } from '../../src/store/store.js';

export interface ProberApiServerOptions {
  store: Store;
  checks: readonly CheckDefinition[];
  adminToken?: string;
  /** The checks the public may see; all of them when not given (as without status-page.yml). */
  publicCheckIds?: readonly string[];
  /** Stands in front of the checks API (an auth proxy, say). */
  guard?: RequestHandler;
}

export async function startProberApi(options: ProberApiServerOptions): Promise<HttpServer> {
  const { store, checks } = options;
  const view: ProberView = {
    metricsChunks: async () => [],
    isReady: () => true,
    reload: async () => ({ ok: true, problems: [] }),
  };
  const publicChecks = new Set(options.publicCheckIds ?? checks.map((check) => check.id));
  const api = proberApi({
    checks: () => checks,
    publicCheckIds: () => publicChecks,
    latest: () => undefined,
    status: () => 'unknown',
    results: (checkId, query) => store.listResults(checkId, query),
    firstResultAt: (checkId) => store.firstResultAt([checkId]),
    slaReports: async () => new Map(),
    incidents: (query) => store.listIncidents(query),
    lastHeardAt: () => undefined,
    adminToken: options.adminToken,
  });
  const routers = options.guard === undefined ? [api] : [express.Router().use(options.guard), api];
  const app = createProberApp(view, { logger: pino({ level: 'silent' }), adminToken: options.adminToken, routers });
  return startHttpServer(app, { host: '127.0.0.1', port: 0 });
}

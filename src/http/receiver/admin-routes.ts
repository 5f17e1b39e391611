// The admin API (CONTRACT section 6), every route behind the admin bearer token: alert history with filters and
// pagination, one alert with its events, the summary, the patterns, and the lifecycle actions.

import { Router, type NextFunction, type Request, type Response } from 'express';
import { parseAlertQuery, parseInteger } from '../../receiver/history/alert-query.js';
import type { Receiver } from '../../receiver/receiver.js';
import { RequestProblem } from '../request-problem.js';
import { bearerAuthorized } from './auth.js';
import { parseActionBody } from './action-body.js';
import { readJsonBody } from './json-body.js';

const ACTION_BODY_LIMIT = 64 * 1024;
const MAX_PATTERN_DAYS = 90;

export interface AdminRouteOptions {
  receiver: Receiver;
  /** VIGIL_ADMIN_TOKEN; without one every admin request is refused. */
  adminToken: string | undefined;
}

function requireAdmin(adminToken: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (adminToken !== undefined && adminToken !== '' && bearerAuthorized(req.get('authorization'), adminToken)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer realm="vigil-admin"');
    const message = adminToken ? 'missing or wrong admin token' : 'the admin API is disabled: set VIGIL_ADMIN_TOKEN';
    res.status(401).json({ error: message });
  };
}

const alertId = (req: Request): string => String(req.params['id']);

export function adminRoutes(options: AdminRouteOptions): Router {
  const { receiver } = options;
  const router = Router();
  router.use('/api/v1/alerts', requireAdmin(options.adminToken));

  router.get('/api/v1/alerts', async (req, res) => {
    const query = parseAlertQuery(req.query, receiver.clock.now());
    if (!query.ok) throw new RequestProblem(400, query.problem);
    res.json(await receiver.history.list(query.value));
  });

  router.get('/api/v1/alerts/summary', async (_req, res) => {
    res.json(await receiver.history.summary());
  });

  router.get('/api/v1/alerts/patterns', async (req, res) => {
    const days = parseInteger(
      typeof req.query['days'] === 'string' ? req.query['days'] : undefined,
      'days',
      1,
      MAX_PATTERN_DAYS,
      7,
    );
    if (!days.ok) throw new RequestProblem(400, days.problem);
    res.json(await receiver.history.patterns(days.value));
  });

  router.get('/api/v1/alerts/:id', async (req, res) => {
    res.json(await receiver.history.alert(alertId(req)));
  });

  router.post('/api/v1/alerts/:id/:action', async (req, res) => {
    const action = req.params['action'];
    if (action !== 'acknowledge' && action !== 'resolve' && action !== 'suppress') {
      res.status(404).json({ error: 'not found' });
      return;
    }
    const { request, durationMs } = parseActionBody(await readJsonBody(req, ACTION_BODY_LIMIT));
    const id = alertId(req);
    const { lifecycle, history } = receiver;
    if (action === 'acknowledge') await lifecycle.acknowledge(id, request);
    else if (action === 'resolve') await lifecycle.resolve(id, request);
    else await lifecycle.suppress(id, request, durationMs);
    res.json(await history.alert(id));
  });

  return router;
}

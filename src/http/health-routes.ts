// The Prometheus-style liveness and readiness endpoints every role answers: `GET /-/healthy` while the process runs,
// `GET /-/ready` 200 once it serves and 503 before that and while it stops, so a load balancer drains it first.

import { Router } from 'express';

/** `name` starts each answer: "Vigil is Ready.", "Vigil receiver is Ready.". */
export function healthRoutes(name: string, isReady: () => boolean): Router {
  const router = Router();
  router.get('/-/healthy', (_req, res) => {
    res.type('text/plain').send(`${name} is Healthy.\n`);
  });
  router.get('/-/ready', (_req, res) => {
    if (isReady()) res.type('text/plain').send(`${name} is Ready.\n`);
    else res.status(503).type('text/plain').send(`${name} is not ready.\n`);
  });
  return router;
}

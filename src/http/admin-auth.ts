// Bearer-token guard for admin endpoints. Tokens are compared in constant time (over their SHA-256 digests, so
// lengths leak nothing either). Without a configured token the admin API is closed, never open.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export function tokenMatches(presented: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return match?.[1];
}

/** `disabled` is the answer (403) while no token is configured, so it can say what else there is. */
export function requireAdmin(
  adminToken: string | undefined,
  disabled = 'the admin API is disabled: set VIGIL_ADMIN_TOKEN to enable it',
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (adminToken === undefined || adminToken === '') {
      res.status(403).json({ error: disabled });
      return;
    }
    const presented = bearerToken(req);
    if (presented === undefined || !tokenMatches(presented, adminToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="vigil"');
      res.status(401).json({ error: 'missing or wrong bearer token' });
      return;
    }
    next();
  };
}

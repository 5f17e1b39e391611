// Who is reading the prober's JSON API: the public, or an admin holding VIGIL_ADMIN_TOKEN as a bearer token. The
// public sees the public checks only (check-visibility.ts), as on the status page. A wrong token is refused with 401
// so a misconfigured client notices instead of quietly getting less; a token sent to a prober that has none
// configured is ignored, since it may be meant for a proxy in front of the prober.

import type { Request, Response } from 'express';
import { bearerToken, tokenMatches } from '../admin-auth.js';

export type Viewer = 'public' | 'admin';

/** The viewer of a request, or undefined once a wrong token has been answered 401. */
export function viewerOf(adminToken: string | undefined): (req: Request, res: Response) => Viewer | undefined {
  return (req, res) => {
    const presented = bearerToken(req);
    if (presented === undefined || !adminToken) return 'public';
    if (tokenMatches(presented, adminToken)) return 'admin';
    res.setHeader('WWW-Authenticate', 'Bearer realm="vigil", error="invalid_token"');
    res.status(401).json({ error: 'invalid admin token' });
    return undefined;
  };
}

// Who is shown the probes' own messages in the JSON API: the holder of the admin token (as a bearer token), or
// everyone when status-page.yml says `raw_messages: true`. Others get neutral words by reason
// (src/status/public-message.ts): the raw messages name internal hosts, ports and paths.

import type { Request } from 'express';
import { bearerToken, tokenMatches } from './admin-auth.js';

/** True when this request may see raw probe messages. */
export type RawMessageAccess = (req: Request) => boolean;

export function rawMessageAccess(adminToken: string | undefined, rawForEveryone: () => boolean): RawMessageAccess {
  return (req) => {
    if (rawForEveryone()) return true;
    if (adminToken === undefined || adminToken === '') return false;
    const presented = bearerToken(req);
    return presented !== undefined && tokenMatches(presented, adminToken);
  };
}

/** For an app mounted without the setting (tests of other parts): neutral messages for everyone. */
export const NEUTRAL_FOR_EVERYONE: RawMessageAccess = () => false;

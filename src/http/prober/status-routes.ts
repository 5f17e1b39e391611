// The status page routes (CONTRACT section 5): `GET /` as HTML and `GET /api/v1/status` as JSON, the same view;
// `GET /checks/{id}` one check's page (`?range=24h|7d`), for the checks the viewer may see.
//
// Private components are shown only with the admin token, sent as `Authorization: Bearer <token>` or, so that a
// browser can open the private page, as `?token=<token>`. A token in the URL ends up in access logs, proxy logs and
// browser history: use the header wherever a client can send one. A token that is presented but wrong is refused
// with 401 (403 when no admin token is configured) rather than quietly answered with the public page, so a
// misconfigured client notices. Tokens are compared in constant time (admin-auth.ts).

import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import { tokenMatches } from '../admin-auth.js';
import { STATUS_CSS_HASH } from '../../status/status-css.js';
import { renderCheckDetail } from '../../status/check-detail-html.js';
import { buildCheckDetail, isDetailRange } from '../../status/check-detail-view.js';
import { renderStatusPage } from '../../status/status-html.js';
import { statusJson } from '../../status/status-json.js';
import type { StatusSource } from '../../status/status-source.js';
import { buildStatusView } from '../../status/status-view.js';
import { RenderedPages, type RenderState, type RenderedPagesOptions } from '../../status/rendered-pages.js';

const gzipAsync = promisify(gzip);

/** The page allows its own inline style sheet and nothing else: no script can run even if markup slipped through. */
const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src '${STATUS_CSS_HASH}'; base-uri 'none'; form-action 'none'`;

/** Several viewers refreshing the public page every minute may share a cached copy briefly. */
const PUBLIC_CACHE = 'public, max-age=15';

/** `disabled`: a token was presented but none is configured. */
type Access = 'public' | 'private' | 'refused' | 'disabled';

export function statusRoutes(
  source: StatusSource,
  adminToken: string | undefined,
  reuse: RenderedPagesOptions = {},
): Router {
  const router = Router();
  const access = accessCheck(adminToken);
  // Only public views are reused: a private one is for one admin, and its links may carry the token.
  const pages = new RenderedPages<string | Buffer>(reuse);
  const renderState = (granted: Access): RenderState | undefined => {
    const revision = granted === 'public' ? source.revision?.() : undefined;
    return revision === undefined ? undefined : { revision, resultBatches: source.resultBatches?.() ?? 0 };
  };

  router.get('/', async (req, res) => {
    const granted = access(req);
    if (granted === 'refused' || granted === 'disabled') {
      refuse(res, granted).type('html').send(refusedPage(granted));
      return;
    }
    const token = granted === 'private' ? queryToken(req) : undefined;
    const linkQuery = token === undefined ? '' : `?${new URLSearchParams({ token }).toString()}`;
    const gzipped = acceptsGzip(req);
    const render = async (): Promise<string | Buffer> => {
      const page = renderStatusPage(await buildStatusView(source, { includePrivate: granted === 'private' }), {
        linkQuery,
      });
      return gzipped ? gzipAsync(page, { level: 6 }) : page;
    };
    const state = renderState(granted);
    const body = await (state === undefined ? render() : pages.get(`html:${gzipped}`, state, render));
    viewHeaders(res, granted);
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.type('html');
    if (gzipped) res.setHeader('Content-Encoding', 'gzip');
    res.send(body);
  });

  router.get('/checks/:id', async (req, res) => {
    const granted = access(req);
    if (granted === 'refused' || granted === 'disabled') {
      refuse(res, granted).type('html').send(refusedPage(granted));
      return;
    }
    const rangeText = req.query['range'] ?? '24h';
    if (typeof rangeText !== 'string' || !isDetailRange(rangeText)) {
      res.status(400).type('text/plain').send('range must be 24h or 7d\n');
      return;
    }
    const id = String(req.params['id']);
    const view = await buildCheckDetail(source, id, { includePrivate: granted === 'private', range: rangeText });
    if (view === undefined) {
      // The same answer for a private check as for none: the public may not learn which ids exist.
      res.status(404).type('text/plain').send('no such check on this status page\n');
      return;
    }
    const token = granted === 'private' ? queryToken(req) : undefined;
    viewHeaders(res, granted);
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.type('html');
    await sendMaybeGzipped(req, res, renderCheckDetail(view, token === undefined ? {} : { token }));
  });

  router.get('/api/v1/status', async (req, res) => {
    const granted = access(req);
    if (granted === 'refused' || granted === 'disabled') {
      refuse(res, granted).json({ error: REFUSAL[granted] });
      return;
    }
    const render = async (): Promise<string> =>
      JSON.stringify(statusJson(await buildStatusView(source, { includePrivate: granted === 'private' })));
    const state = renderState(granted);
    const body = await (state === undefined ? render() : pages.get('json', state, render));
    viewHeaders(res, granted);
    res.type('json').send(body);
  });

  return router;
}

function accessCheck(adminToken: string | undefined): (req: Request) => Access {
  return (req) => {
    const presented = presentedToken(req);
    if (presented === undefined) return 'public';
    if (!adminToken) return 'disabled';
    return tokenMatches(presented, adminToken) ? 'private' : 'refused';
  };
}

/**
 * The bearer token, else the `token` query parameter; an empty one counts as presented (and is wrong). Other
 * Authorization schemes are not ours (a proxy's basic auth in front of the page) and are ignored.
 */
function presentedToken(req: Request): string | undefined {
  const bearer = /^Bearer(?:\s+(.*))?$/i.exec(req.get('authorization') ?? '');
  if (bearer) return bearer[1]?.trim() ?? '';
  const query: unknown = req.query['token'];
  if (query === undefined) return undefined;
  return typeof query === 'string' ? query : '';
}

/** The token a browser sent in the URL, to keep in the page's links (a header cannot follow a link). */
function queryToken(req: Request): string | undefined {
  const query: unknown = req.query['token'];
  return typeof query === 'string' && query !== '' ? query : undefined;
}

function viewHeaders(res: Response, granted: 'public' | 'private'): void {
  res.setHeader('Vary', 'Authorization, Accept-Encoding');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (granted === 'public') {
    res.setHeader('Cache-Control', PUBLIC_CACHE);
    return;
  }
  res.setHeader('Cache-Control', 'no-store');
  // The page links only to itself and its check pages, but a token in its URL must never leave in a Referer header.
  res.setHeader('Referrer-Policy', 'no-referrer');
}

const REFUSAL = {
  refused: 'invalid admin token',
  disabled: 'private status is disabled: set VIGIL_ADMIN_TOKEN to enable it',
} as const;

/** 401 for a wrong token; 403 when no token could be right (as the admin API answers). */
function refuse(res: Response, why: keyof typeof REFUSAL): Response {
  if (why === 'refused') res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="vigil", error="invalid_token"');
  else res.status(403);
  return res.setHeader('Cache-Control', 'no-store');
}

function refusedPage(why: keyof typeof REFUSAL): string {
  return (
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Access refused</title>' +
    `<p>The page was asked for with a token, but ${REFUSAL[why]}. Open it without a token for the public status.</p></html>\n`
  );
}

function acceptsGzip(req: Request): boolean {
  return /\bgzip\b/.test(req.get('accept-encoding') ?? '');
}

/** The page repeats its markup for every daily bar: gzip makes it a few kilobytes on the wire. */
async function sendMaybeGzipped(req: Request, res: Response, body: string): Promise<void> {
  if (!acceptsGzip(req)) {
    res.send(body);
    return;
  }
  res.setHeader('Content-Encoding', 'gzip');
  res.send(await gzipAsync(body, { level: 6 }));
}

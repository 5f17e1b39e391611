// The repo's alertmanager/alertmanager.yml rewritten for one machine: every webhook that points at Vigil's receiver
// (its path is the receiver's webhook path) points at the receiver this run started, its bearer token file is the
// one written into the data directory, and, when asked, the routes wait and repeat on shorter timers. Pure.

import { isMap, parseDocument, type YAMLMap } from 'yaml';
import { mapsAt, mapsIn, textOf } from './yaml-nodes.js';

export const RECEIVER_WEBHOOK_PATH = '/api/v1/alertmanager';

export interface AlertmanagerTiming {
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}

export interface AlertmanagerRewrite {
  /** `http://host:port` of the receiver. */
  receiverUrl: string;
  /** Absolute path of the file holding VIGIL_WEBHOOK_TOKEN (empty while the receiver runs without one). */
  tokenFile: string;
  timing?: AlertmanagerTiming;
}

const TIMING_KEYS: Array<[keyof AlertmanagerTiming, string]> = [
  ['groupWait', 'group_wait'],
  ['groupInterval', 'group_interval'],
  ['repeatInterval', 'repeat_interval'],
];

export function rewriteAlertmanagerConfig(text: string, rewrite: AlertmanagerRewrite): string {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new Error(`alertmanager.yml: ${document.errors[0]!.message}`);
  const webhookUrl = `${rewrite.receiverUrl.replace(/\/$/, '')}${RECEIVER_WEBHOOK_PATH}`;
  for (const receiver of mapsAt(document, ['receivers'])) {
    for (const webhook of mapsIn(receiver.get('webhook_configs', true))) {
      if (!(textOf(webhook.get('url')) ?? '').endsWith(RECEIVER_WEBHOOK_PATH)) continue;
      webhook.set('url', webhookUrl);
      webhook.setIn(
        ['http_config', 'authorization'],
        document.createNode({ type: 'Bearer', credentials_file: rewrite.tokenFile }),
      );
    }
  }
  const route = document.get('route', true);
  if (rewrite.timing && isMap(route)) applyTiming(route, rewrite.timing, true);
  document.commentBefore = ` Written by \`vigil stack\` from the repo's alertmanager/alertmanager.yml at each start: edit that one.\n${document.commentBefore ?? ''}`;
  return document.toString();
}

/** The root route takes every timer given; a child route only replaces the ones it sets itself. */
function applyTiming(route: YAMLMap, timing: AlertmanagerTiming, root: boolean): void {
  for (const [option, key] of TIMING_KEYS) {
    const value = timing[option];
    if (value !== undefined && (root || route.has(key))) route.set(key, value);
  }
  for (const child of mapsIn(route.get('routes', true))) applyTiming(child, timing, false);
}

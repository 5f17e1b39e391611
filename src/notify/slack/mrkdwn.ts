// Slack's mrkdwn from untrusted text: only `&`, `<` and `>` are control characters (they make links and mentions such
// as <!channel>), so those three are escaped and nothing else; text is cut before escaping so an entity is never split.

import { ELLIPSIS } from '../format.js';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (character) => ENTITIES[character] ?? character);
}

/** `text` escaped in at most `max` characters, ending in "…" when cut; never splits an entity or a character. */
export function escapeMrkdwnWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let cut = '';
  for (const character of text) {
    const piece = ENTITIES[character] ?? character;
    if (cut.length + piece.length > max - ELLIPSIS.length) break;
    cut += piece;
  }
  return `${cut}${ELLIPSIS}`;
}

/** A mrkdwn link `<url|label>`; `url` must already be a safe http(s) URL. `|` would end the URL, so it is encoded. */
export function mrkdwnLink(url: string, label: string, maxLabel: number): string {
  return `<${escapeMrkdwn(url.replaceAll('|', '%7C'))}|${escapeMrkdwnWithin(label, maxLabel)}>`;
}

// Status badges in the shields.io style, for READMEs and wikis: a grey label on the left, a coloured message on the
// right, both in Verdana 11 px. Pure: text in, SVG text out. Every piece of text is escaped, so a check named
// `<script>` or `R&D` stays text; widths are estimated from the characters (no font metrics on a server).

export type BadgeColor = 'green' | 'yellow' | 'red' | 'grey' | 'blue';

const COLORS: Record<BadgeColor, string> = {
  green: '#4c1',
  yellow: '#dfb317',
  red: '#e05d44',
  grey: '#9f9f9f',
  blue: '#007ec6',
};

const LABEL_BACKGROUND = '#555';
const HEIGHT = 20;
const PADDING = 6;
/** Longer text is cut, so a badge stays a badge. */
const MAX_TEXT_CHARS = 64;

export interface Badge {
  label: string;
  message: string;
  color: BadgeColor;
}

export function renderBadge(badge: Badge): string {
  const label = shorten(badge.label);
  const message = shorten(badge.message);
  const labelWidth = textWidth(label) + 2 * PADDING;
  const messageWidth = textWidth(message) + 2 * PADDING;
  const width = labelWidth + messageWidth;
  const title = escapeXml(`${label}: ${message}`);
  const color = COLORS[badge.color];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>',
    '<stop offset="1" stop-opacity=".1"/></linearGradient>',
    `<clipPath id="r"><rect width="${width}" height="${HEIGHT}" rx="3" fill="#fff"/></clipPath>`,
    '<g clip-path="url(#r)">',
    `<rect width="${labelWidth}" height="${HEIGHT}" fill="${LABEL_BACKGROUND}"/>`,
    `<rect x="${labelWidth}" width="${messageWidth}" height="${HEIGHT}" fill="${color}"/>`,
    `<rect width="${width}" height="${HEIGHT}" fill="url(#s)"/>`,
    '</g>',
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">',
    text(label, labelWidth / 2),
    text(message, labelWidth + messageWidth / 2),
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}

/** The text with a one-pixel shadow below it, as shields draws it. */
function text(content: string, x: number): string {
  const escaped = escapeXml(content);
  return (
    `<text x="${x}" y="15" fill="#010101" fill-opacity=".3">${escaped}</text>` +
    `<text x="${x}" y="14">${escaped}</text>`
  );
}

export function escapeXml(content: string): string {
  return content.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function shorten(content: string): string {
  // Control characters are not allowed in XML 1.0 at all, escaped or not.
  const chars = [...content].filter((char) => !isForbiddenInXml(char));
  return chars.length <= MAX_TEXT_CHARS ? chars.join('') : `${chars.slice(0, MAX_TEXT_CHARS - 1).join('')}…`;
}

function isForbiddenInXml(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff;
}

/** About Verdana 11 px: narrow letters count less, wide ones more. */
function textWidth(content: string): number {
  let width = 0;
  for (const char of content) {
    if (/[iljtf.,:;'!|I ]/.test(char)) width += 4;
    else if (/[mwMW@%]/.test(char)) width += 10;
    else if (/[A-Z0-9]/.test(char)) width += 7.5;
    else width += 7;
  }
  return Math.ceil(width);
}

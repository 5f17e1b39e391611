// A tagged template that escapes by default: `html\`<b>${name}</b>\`` escapes `name`, while nested `html` results
// (SafeHtml) are inserted as they are. Markup is only ever made by this tag, so text from config files and from
// probed targets (check names, error messages) can never become markup, even where a call site forgets about it.

export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** `false`, `null` and `undefined` render as nothing, so `condition && html\`...\`` works. */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/;

/** Safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  // Most text has nothing to escape; testing first is several times faster than replacing.
  if (!SPECIAL.test(text)) return text;
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === false || value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

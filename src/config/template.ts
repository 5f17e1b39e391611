// `{{ VAR }}` and `{{ VAR | default text }}` in config strings, filled from the environment.

const TEMPLATE = /\{\{(.*?)\}\}/g;
const REFERENCE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|(.*))?$/s;
const WHOLE_TEMPLATE = /^\{\{[^{}\n]*\}\}$/;

export interface Expansion {
  text: string;
  /** Variables referenced without a default that are not set. */
  missing: string[];
  /** `{{ … }}` that are not a variable reference. */
  malformed: string[];
  /** Whether any variable's value (not only defaults) went into the text. */
  usedEnvironment: boolean;
}

export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/** True when `text` is exactly one `{{ … }}` and nothing else. */
export function isWholeTemplate(text: string): boolean {
  return WHOLE_TEMPLATE.test(text);
}

/** Replaces every reference; an empty variable counts as set, a default is trimmed. */
export function expandTemplates(text: string, env: Record<string, string | undefined>): Expansion {
  const expansion: Expansion = { text: '', missing: [], malformed: [], usedEnvironment: false };
  expansion.text = text.replace(TEMPLATE, (whole: string, inner: string) => {
    const reference = REFERENCE.exec(inner);
    const name = reference?.[1];
    if (reference === null || name === undefined) {
      expansion.malformed.push(whole);
      return whole;
    }
    const value = env[name];
    if (value !== undefined) {
      expansion.usedEnvironment = true;
      return value;
    }
    const fallback = reference[2];
    if (fallback !== undefined) return fallback.trim();
    expansion.missing.push(name);
    return whole;
  });
  return expansion;
}

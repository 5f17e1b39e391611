// Small readers over parsed YAML documents, shared by the Prometheus and Alertmanager config rewrites.

import { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';

/** The maps of the sequence `node` (none when it is absent or not a sequence). */
export function mapsIn(node: unknown): YAMLMap[] {
  return isSeq(node) ? node.items.filter(isMap) : [];
}

/** The maps of the sequence at `at` in a document. */
export function mapsAt(document: Document, at: string[]): YAMLMap[] {
  return mapsIn(document.getIn(at, true));
}

/** A scalar value as text (a duration, a URL); undefined when absent or not a scalar. */
export function textOf(value: unknown): string | undefined {
  if (isScalar(value)) return textOf(value.value);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

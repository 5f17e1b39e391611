// The README's "Architecture" table and the import rules dependency-cruiser enforces (.dependency-cruiser.cjs) say the
// same thing: one row per part of src/, and what each row may import is exactly what its rule lets through.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface Rule {
  name: string;
  from: { path: string; pathNot?: string[] };
  to: { path?: string; pathNot?: string[] };
}

const root = path.resolve(import.meta.dirname, '../..');
const config = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs')) as { forbidden: Rule[] };

/** `^src/config/` → `config/`, `^src/app\.ts$` → `app.ts`. */
function partOf(pattern: string): string {
  return pattern
    .replace(/^\^src\//, '')
    .replace(/\$$/, '')
    .replace(/\\\./g, '.');
}

/** The parts a rule lets its modules import: what its `to.pathNot` leaves open. */
function openParts(rule: Rule): string[] {
  return (rule.to.pathNot ?? []).map(partOf);
}

interface Row {
  parts: string[];
  mayImport: string[];
}

function architectureRows(): Row[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## Architecture$/m)[1]?.split(/^## /m)[0] ?? '';
  const codes = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `') || line.startsWith('| utilities'))
    .map((line) => {
      const cells = line.split(' | ');
      return { parts: codes(cells[0]!), mayImport: codes(cells.at(-1)!) };
    });
}

const rows = architectureRows();
const rules = new Map(config.forbidden.map((rule) => [rule.name, rule]));
const ruleOf = (part: string): Rule | undefined => rules.get(`imports-of-${part.replace(/\/$/, '')}`);

describe('the Architecture table of the README', () => {
  it('has a row for the model, the utilities and every other part', () => {
    expect(rows.length).toBeGreaterThan(10);
    const listed = rows.flatMap((row) => row.parts).sort();
    const ruled = [...rules.keys()]
      .filter((name) => name.startsWith('imports-of-') && !name.slice('imports-of-'.length).includes('/'))
      .map((name) => partOf(rules.get(name)!.from.path))
      .sort();
    expect(listed).toEqual(ruled);
  });

  it.each(rows.filter((row) => row.parts.length === 1).map((row) => [row.parts[0]!, row.mayImport] as const))(
    '%s may import what its rule lets through',
    (part, mayImport) => {
      const open = openParts(ruleOf(part)!);
      const utilities = rows.find((row) => row.parts.length > 1)!.parts;
      const implied = part === 'model/' ? [part] : [part, 'model/', ...(utilities.includes(part) ? [] : utilities)];
      expect(open.filter((name) => !implied.includes(name)).sort()).toEqual(
        mayImport.filter((name) => !implied.includes(name)).sort(),
      );
    },
  );

  it('lets the utilities import only the model', () => {
    for (const utility of rows.find((row) => row.parts.length > 1)!.parts) {
      expect(openParts(ruleOf(utility)!).sort()).toEqual(['model/', utility].sort());
    }
  });

  it('lists each part after every part it may import, so the rules leave no room for a cycle between parts', () => {
    const seen = new Set<string>();
    for (const row of rows) {
      for (const name of row.mayImport)
        if (name !== 'model/' && !row.parts.includes(name)) expect(seen).toContain(name);
      for (const part of row.parts) seen.add(part);
    }
  });
});

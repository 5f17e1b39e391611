// Loads the three config files of a config directory: reads, parses with positions, fills templates, validates each
// against its schema and rules, checks references between them, and only then builds the normalised config. Every
// problem in every file is reported at once.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { TSchema } from '@sinclair/typebox';

import { checkEntries } from './check-entries.js';
import { checkRules } from './check-rules.js';
import { aiEnvironmentProblems } from './normalize-ai.js';
import { normalizeChecks } from './normalize-checks.js';
import { maintenanceReferences, maintenanceRules } from './normalize-maintenance.js';
import { normalizeSettings, settingsRules } from './normalize-settings.js';
import { normalizeStatusPage, statusPageRules } from './normalize-status-page.js';
import { sortProblems } from './problems.js';
import { pushTokenProblems } from './push-tokens.js';
import { ChecksFileSchema } from './schema/checks.js';
import { ConfigFileSchema } from './schema/config.js';
import { StatusPageFileSchema } from './schema/status-page.js';
import type { ConfigProblem, VigilConfig } from './types.js';
import { schemaProblems } from './validate.js';
import { ConfigDocument, fileProblem, parseConfigYaml } from './yaml-document.js';

type Env = Record<string, string | undefined>;

export interface LoadOptions {
  configDir: string;
  env: Env;
}

export type LoadResult = { ok: true; config: VigilConfig } | { ok: false; problems: ConfigProblem[] };

interface FileRead {
  document?: ConfigDocument;
  problems: ConfigProblem[];
}

export function loadConfig(options: LoadOptions): LoadResult {
  const { configDir, env } = options;
  const checksFile = readDocument(path.join(configDir, 'checks.yml'), env, true);
  const configFile = readDocument(path.join(configDir, 'config.yml'), env, false);
  const statusPageFile = readDocument(path.join(configDir, 'status-page.yml'), env, false);
  const checkIds = definedCheckIds(checksFile.document);
  const checksValue = checksFile.document?.value;
  const references = checksValue === undefined ? undefined : maintenanceReferences(checksValue);
  const problems = [
    ...fileProblems(checksFile, ChecksFileSchema, (document) => [
      ...checkRules(document),
      ...pushTokenProblems(document, env),
    ]),
    ...fileProblems(configFile, ConfigFileSchema, (document) => [
      ...settingsRules(document, env),
      ...maintenanceRules(document, references),
    ]),
    ...fileProblems(statusPageFile, StatusPageFileSchema, (document) => statusPageRules(document, checkIds)),
    ...aiEnvironmentProblems(configFile.document?.value, path.join(configDir, 'config.yml'), env),
  ];
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };

  const checks = normalizeChecks(checksFile.document?.value);
  return {
    ok: true,
    config: {
      checks,
      settings: normalizeSettings(configFile.document?.value ?? {}, env),
      statusPage: normalizeStatusPage(statusPageFile.document?.value ?? {}, checks),
      files: {
        checks: path.resolve(configDir, 'checks.yml'),
        ...(configFile.document ? { config: path.resolve(configFile.document.file) } : {}),
        ...(statusPageFile.document ? { statusPage: path.resolve(statusPageFile.document.file) } : {}),
      },
    },
  };
}

/** A missing optional file reads as no document and no problem. */
function readDocument(file: string, env: Env, required: boolean): FileRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return { problems: [] };
    const message =
      code === 'ENOENT'
        ? 'file not found (Vigil needs its checks here)'
        : `cannot read the file: ${(error as Error).message}`;
    return { problems: [fileProblem(file, message)] };
  }
  const document = parseConfigYaml(file, text, env);
  // An empty file is a file with every setting at its default.
  if (document.value === null) document.value = {};
  return { document, problems: [] };
}

type Rules = (document: ConfigDocument) => ConfigProblem[];

function fileProblems(read: FileRead, schema: TSchema, rules: Rules): ConfigProblem[] {
  const { document } = read;
  if (!document) return read.problems;
  if (document.value === undefined) return document.problems;
  return [...document.problems, ...schemaProblems(schema, document), ...rules(document)];
}

function definedCheckIds(document: ConfigDocument | undefined): Set<string> | undefined {
  if (document?.value === undefined) return undefined;
  return new Set(
    checkEntries(document.value).flatMap(({ data }) => (typeof data['id'] === 'string' ? [data['id']] : [])),
  );
}

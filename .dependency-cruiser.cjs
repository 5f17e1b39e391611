// The import rules of src/, checked by `npm run lint:deps` (part of `npm test`): no import cycle anywhere, and each
// top-level part of src/ imports only the parts listed for it below. The README's "Architecture" table is this list
// in words (tests/unit/architecture.test.ts keeps the two in step). Type-only imports count: a cycle of types is
// still a cycle for the reader.

/** Shared types; every part may import them, and they import nothing else of src/. */
const MODEL = 'model';

/** Small shared helpers at the top of src/; every part may import them, and they import only the model. */
const UTILITIES = [
  'copy-with.ts',
  'floor-to.ts',
  'gc-tuning.ts',
  'http-url.ts',
  'interval.ts',
  'log.ts',
  'redact.ts',
  'secret-files.ts',
];

/** Each part of src/ (a folder, or a file at the top) → the other parts it may import, besides the model and utilities. */
const MAY_IMPORT = {
  config: ['maintenance'],
  maintenance: [],
  probe: [],
  schedule: ['probe'],
  store: ['config'],
  diagnosis: ['config', 'maintenance', 'store'],
  sla: ['config', 'maintenance', 'store'],
  status: ['config', 'maintenance', 'sla', 'store'],
  metrics: ['schedule', 'sla', 'store'],
  results: ['maintenance', 'metrics', 'store'],
  notify: [],
  delivery: ['config', 'metrics', 'notify', 'store'],
  receiver: ['config', 'delivery', 'diagnosis', 'metrics', 'store'],
  http: ['config', 'maintenance', 'metrics', 'probe', 'receiver', 'results', 'sla', 'status', 'store'],
  demo: ['config', 'http'],
  stack: ['config'],
  'prober-role.ts': [
    'config',
    'http',
    'maintenance',
    'metrics',
    'probe',
    'results',
    'schedule',
    'sla',
    'status',
    'store',
  ],
  'receiver-role.ts': ['config', 'delivery', 'diagnosis', 'http', 'metrics', 'receiver', 'store'],
  'app.ts': ['config', 'http', 'prober-role.ts', 'receiver-role.ts', 'store'],
  commands: ['app.ts', 'config', 'delivery', 'demo', 'diagnosis', 'probe', 'sla', 'stack', 'store'],
  'cli.ts': ['app.ts', 'commands', 'config'],
};

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The path pattern of a part: a folder and everything under it, or one file. */
const pathOf = (part) => (part.endsWith('.ts') ? `^src/${escape(part)}$` : `^src/${escape(part)}/`);

/** A rule: modules matching `from` may import, of src/, only the `open` parts. */
function importRule(name, from, open) {
  return {
    name: `imports-of-${name}`,
    comment: `src/${name} may import only ${open.join(', ')} of src/ (README "Architecture").`,
    severity: 'error',
    from,
    to: { path: '^src/', pathNot: open.map(pathOf) },
  };
}

const shared = [MODEL, ...UTILITIES];
const rules = [
  importRule(MODEL, { path: pathOf(MODEL) }, [MODEL]),
  ...UTILITIES.map((file) => importRule(file, { path: pathOf(file) }, [file, MODEL])),
  ...Object.entries(MAY_IMPORT).map(([part, allowed]) =>
    importRule(part, { path: pathOf(part) }, [part, ...shared, ...allowed]),
  ),
];

const unlisted = {
  name: 'unlisted-part',
  comment: 'Every top-level part of src/ has a row in the table above (and in the README).',
  severity: 'error',
  from: { path: '^src/', pathNot: [MODEL, ...UTILITIES, ...Object.keys(MAY_IMPORT)].map(pathOf) },
  to: {},
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'An import cycle: each module of it can only be understood, tested and replaced together with the others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...rules,
    unlisted,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

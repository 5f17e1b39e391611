// checks.yml: `defaults`, `groups` of checks with shared settings, and a flat `checks` list; both lists may coexist.

import { Type, type Static } from '@sinclair/typebox';

import { NonEmptyString, Strict, fileOptions } from './common.js';
import { FlatCheckSchema, GroupCheckSchema, inheritableProperties } from './check.js';

const DefaultsSchema = Strict(inheritableProperties, {
  description: 'Settings every check inherits unless it sets them.',
});

const GroupSchema = Strict(
  {
    name: NonEmptyString({ description: 'The `group` label of its checks. Example: critical' }),
    component: Type.Optional(
      NonEmptyString({ description: 'Status-page component of its checks; the name when absent.' }),
    ),
    service: Type.Optional(
      NonEmptyString({ description: '`service` label of its checks; each check id when absent.' }),
    ),
    ...inheritableProperties,
    checks: Type.Array(GroupCheckSchema),
  },
  { description: 'Checks sharing a group label and settings.' },
);

export const ChecksFileSchema = Strict(
  {
    defaults: Type.Optional(DefaultsSchema),
    groups: Type.Optional(Type.Array(GroupSchema)),
    checks: Type.Optional(
      Type.Array(FlatCheckSchema, { description: 'Checks outside groups; each may set `group:`.' }),
    ),
  },
  fileOptions('Vigil checks', 'The synthetic checks Vigil probes (config/checks.yml).'),
);

export type RawChecksFile = Static<typeof ChecksFileSchema>;
export type RawGroup = Static<typeof GroupSchema>;
export type RawDefaults = Static<typeof DefaultsSchema>;
/** Any check, from a group or the flat list (the flat form is the wider one). */
export type RawCheck = Static<typeof FlatCheckSchema>;

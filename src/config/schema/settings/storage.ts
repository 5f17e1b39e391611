// config.yml `storage:` where results and alerts are kept.

import { Type } from '@sinclair/typebox';

import { NonEmptyString, Strict, StringEnum } from '../common.js';

export const STORAGE_BACKENDS = ['sqlite', 'postgres'] as const;

export const StorageSection = Strict(
  {
    backend: Type.Optional(StringEnum(STORAGE_BACKENDS, { default: 'sqlite' })),
    sqlite_path: Type.Optional(
      NonEmptyString({ default: 'vigil.db', description: 'SQLite file; relative paths are under data_dir.' }),
    ),
    postgres_url: Type.Optional(
      Type.String({
        pattern: String.raw`^postgres(?:ql)?://\S+$`,
        patternErrorMessage: 'must be a postgres:// or postgresql:// URL',
        description: 'Used when backend is postgres; DATABASE_URL from the environment when absent.',
      }),
    ),
  },
  { description: 'Result and alert storage.' },
);

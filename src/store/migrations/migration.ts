// One schema migration: its SQL for SQLite and for PostgreSQL side by side. A file of its own so each migration
// names its type without importing the list that imports it.

export interface Migration {
  /** 1, 2, 3, …: applied in order, each exactly once. */
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

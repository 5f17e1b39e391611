// The SELECT behind Store.listIncidents, written for the filters a query actually has. One statement with every
// filter made optional (`? IS NULL OR check_id = ?`) cannot use an index, since the planner must serve every value
// at once: SQLite then reads the whole incidents table and sorts it for each call, and the diagnosis makes several
// calls per alert. With only the filters present, each shape reads through an index: one check's incidents
// through (check_id, …), the open ones through closed_at. Both backends build the same text; the dialect supplies
// placeholders and the list membership test.

import { checkLimit } from './rows.js';
import type { IncidentQuery } from './store.js';

export interface IncidentSqlDialect {
  /** The placeholder of the n-th value (1-based): `?` or `$n`. */
  placeholder(position: number): string;
  /** `check_id` is one of the list at `placeholder`. */
  inList(placeholder: string): string;
  /** How a list of check ids is passed as one value. */
  listValue(checkIds: readonly string[]): unknown;
}

export const SQLITE_INCIDENT_SQL: IncidentSqlDialect = {
  placeholder: () => '?',
  inList: (placeholder) => `check_id IN (SELECT value FROM json_each(${placeholder}))`,
  listValue: (checkIds) => JSON.stringify(checkIds),
};

export const POSTGRES_INCIDENT_SQL: IncidentSqlDialect = {
  placeholder: (position) => `$${position}`,
  inList: (placeholder) => `check_id = ANY(${placeholder}::text[])`,
  listValue: (checkIds) => checkIds,
};

export interface IncidentSelect {
  sql: string;
  values: unknown[];
}

export function incidentSelect(query: IncidentQuery, dialect: IncidentSqlDialect): IncidentSelect {
  const values: unknown[] = [];
  const bind = (value: unknown): string => {
    values.push(value);
    return dialect.placeholder(values.length);
  };
  const where: string[] = [];
  if (query.checkId !== undefined) where.push(`check_id = ${bind(query.checkId)}`);
  if (query.checkIds !== undefined) where.push(dialect.inList(bind(dialect.listValue(query.checkIds))));
  // Open only already implies "open at any time after since".
  if (query.openOnly === true) where.push('closed_at IS NULL');
  else if (query.since !== undefined) where.push(`(closed_at IS NULL OR closed_at >= ${bind(query.since)})`);
  const limit = checkLimit(query.limit);
  const sql = [
    'SELECT * FROM incidents',
    ...(where.length === 0 ? [] : [`WHERE ${where.join(' AND ')}`]),
    'ORDER BY opened_at DESC, id',
    ...(limit === undefined ? [] : [`LIMIT ${bind(limit)}`]),
  ].join(' ');
  return { sql, values };
}

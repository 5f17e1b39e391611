// A copy of an object with some of its fields replaced, for the paths a benchmark shows it matters on: a copy per
// stored result (the SQLite row), per ingested alert, per check and bucket of a rollup. Elsewhere a copy is rare and
// a plain `{ ...base, field }` is clearer.
//
// `{ ...base, field: value }` (a literal that starts with a spread and goes on) makes V8 11 (Node 20) build a new
// hidden class for every object it creates: a map and a descriptor array, about half a kilobyte of old-generation
// garbage per copy, three times the CPU (300,000 copies of a 9-field result: 229 ms and 13 MB against 73 ms and
// 0.5 MB), and reads of the copies that no inline cache can share. A bare `{ ...base }` shares base's hidden class,
// and so does the copy after fields it already has are set. Adding a field it does not have brings the cost back;
// `Object.assign({}, base, fields)` avoids that but turns a copy of more than about 16 fields into a dictionary. So
// a new field goes onto an object built by a literal (normalize-checks.ts, result-pipeline.ts) or comes first,
// before the spread (`{ id, ...event }`). At 10,000 checks this kept about 8 MB off the prober's mean RSS
// (bench/RESULTS.md, "Why the code is as it is").

/** T with U's fields in place of its own, member by member of a union. */
export type With<T, U> = T extends unknown ? Omit<T, keyof U> & U : never;

/** `{ ...base, ...fields }` that shares base's hidden class when `fields` only replaces fields base has. */
export function copyWith<T extends object, U extends object>(base: T, fields: U): With<T, U> {
  const copy: object = Object.assign({ ...base }, fields);
  return copy as With<T, U>;
}

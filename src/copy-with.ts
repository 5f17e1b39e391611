// A copy of an object with some of its fields replaced, for the paths that run per result, per alert or per check.
//
// `{ ...base, field: value }` (a literal that starts with a spread and goes on) makes V8 11 (Node 20) build a new
// hidden class for every object it creates: a map and a descriptor array, about half a kilobyte of old-generation
// garbage per copy, three times the CPU, and reads of the copies that no inline cache can share. A bare `{ ...base }`
// shares base's hidden class, and so does the copy after fields it already has are set. Adding a field it does not
// have brings the cost back; `Object.assign({}, base, fields)` avoids that but turns a copy of more than about 16
// fields into a dictionary. So a new field goes onto an object built by a literal (normalize-checks.ts,
// result-pipeline.ts) or comes first, before the spread (`{ id, ...event }`). Measured in bench/RESULTS.md, section 12.

/** T with U's fields in place of its own, member by member of a union. */
export type With<T, U> = T extends unknown ? Omit<T, keyof U> & U : never;

/** `{ ...base, ...fields }` that shares base's hidden class when `fields` only replaces fields base has. */
export function copyWith<T extends object, U extends object>(base: T, fields: U): With<T, U> {
  const copy: object = Object.assign({ ...base }, fields);
  return copy as With<T, U>;
}

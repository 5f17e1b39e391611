// A copy of an object with some fields set, for the paths that run per result, per alert or per check.
//
// `{ ...base, field: value }` (a literal that starts with a spread and goes on) makes V8 11 (Node 20) build a new
// hidden class for every object it creates: a map and a descriptor array, about half a kilobyte of old-generation
// garbage per copy, three times the CPU of Object.assign, and reads of the copies that no inline cache can share.
// At 10,000 checks that was 10,000 hidden classes for the check definitions alone, and hundreds a second for results
// (bench/RESULTS.md, session 4). `{ field: value, ...base }` and a bare `{ ...base }` are not affected.

/** T with U's fields in place of its own, member by member of a union. */
export type With<T, U> = T extends unknown ? Omit<T, keyof U> & U : never;

/** `{ ...base, ...fields }`, built by Object.assign so copies of one shape share one hidden class. */
export function copyWith<T extends object, U extends object>(base: T, fields: U): With<T, U> {
  const copy: object = Object.assign({}, base, fields);
  return copy as With<T, U>;
}

// Vitest's asymmetric matchers (expect.any, expect.closeTo...) typed as what they stand for instead of `any`: a
// closeTo stands where a number goes, a stringMatching where a string goes. They match exactly as before, and the
// expected object around them stays type-checked (`toEqual<SlaReport>`), where one `any` property would switch the
// lint's no-unsafe checks off for it.

import { type DeeplyAllowMatchers, expect } from 'vitest';

interface TypedMatchers {
  any(type: NumberConstructor): number;
  any(type: StringConstructor): string;
  any(type: unknown): unknown;
  closeTo(expected: number, precision?: number): number;
  stringContaining(expected: string): string;
  stringMatching(expected: string | RegExp): string;
  arrayContaining<T>(expected: DeeplyAllowMatchers<T>[]): T[];
  objectContaining<T>(expected: DeeplyAllowMatchers<T>): T;
}

/** The same functions as `expect.*`, called on `expect` itself. */
export const match: TypedMatchers = expect;

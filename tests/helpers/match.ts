// Vitest's asymmetric matchers (expect.any, expect.closeTo...) seen as returning `unknown` instead of `any`. Inside
// an expected object they match exactly as before, and the object stays type-checked: an `any` property would
// switch the lint's no-unsafe checks off for what surrounds it.

import { expect } from 'vitest';

type Matchers = 'any' | 'arrayContaining' | 'closeTo' | 'objectContaining' | 'stringContaining' | 'stringMatching';

/** The same functions as `expect.*`, called on `expect` itself. */
export const match: { readonly [Name in Matchers]: (...args: Parameters<(typeof expect)[Name]>) => unknown } = expect;

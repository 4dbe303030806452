import { createHash } from 'node:crypto';

/**
 * The half of a team injection text, by its family, fixed before anyone looked at the misses: the first byte of the
 * SHA-256 of the family (so a text and its variants fall in the same half), even for `develop` (may be read and
 * chosen on), odd for `check` (counted only).
 */
export function missHalf(family: string): 'develop' | 'check' {
  return (createHash('sha256').update(family, 'utf8').digest()[0] ?? 0) % 2 === 0 ? 'develop' : 'check';
}

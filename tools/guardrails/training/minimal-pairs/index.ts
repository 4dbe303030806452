import { englishMinimalPairs } from './english.js';
import { frenchMinimalPairs } from './french.js';
import { germanMinimalPairs } from './german.js';
import { italianMinimalPairs } from './italian.js';
import type { MinimalPairTexts } from './minimal-pair-texts.js';
import { portugueseMinimalPairs } from './portuguese.js';
import { spanishMinimalPairs } from './spanish.js';

/** The minimal pairs of every covered language. */
export const minimalPairTexts: readonly MinimalPairTexts[] = [
  englishMinimalPairs,
  spanishMinimalPairs,
  frenchMinimalPairs,
  germanMinimalPairs,
  portugueseMinimalPairs,
  italianMinimalPairs,
];
export type { MinimalPairKind, MinimalPairTemplate, MinimalPairTexts } from './minimal-pair-texts.js';

import { englishHardNegatives } from './english.js';
import { frenchHardNegatives } from './french.js';
import { germanHardNegatives } from './german.js';
import type { HardNegativeTexts } from './hard-negative-texts.js';
import { italianHardNegatives } from './italian.js';
import { portugueseHardNegatives } from './portuguese.js';
import { spanishHardNegatives } from './spanish.js';

/** The hard negatives (and their harmful counterparts) of every covered language. */
export const hardNegativeTexts: readonly HardNegativeTexts[] = [
  englishHardNegatives,
  spanishHardNegatives,
  frenchHardNegatives,
  germanHardNegatives,
  portugueseHardNegatives,
  italianHardNegatives,
];
export type { HardNegativeKind, HardNegativeTexts } from './hard-negative-texts.js';

import { englishFreeForm } from './english.js';
import { frenchFreeForm } from './french.js';
import type { FreeFormTexts } from './free-form-texts.js';
import { germanFreeForm } from './german.js';
import { italianFreeForm } from './italian.js';
import { portugueseFreeForm } from './portuguese.js';
import { spanishFreeForm } from './spanish.js';

/** The free-form texts of every covered language. */
export const freeFormTexts: readonly FreeFormTexts[] = [
  englishFreeForm,
  spanishFreeForm,
  frenchFreeForm,
  germanFreeForm,
  portugueseFreeForm,
  italianFreeForm,
];
export type { FreeFormTexts } from './free-form-texts.js';

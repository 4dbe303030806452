import type { FreeFormTexts } from '../free-form/free-form-texts.js';
import { englishConversational } from './english.js';
import { frenchConversational } from './french.js';
import { germanConversational } from './german.js';
import { italianConversational } from './italian.js';
import { portugueseConversational } from './portuguese.js';
import { spanishConversational } from './spanish.js';

/**
 * The conversational texts of every covered language, in the shape of the free-form texts (`FreeFormTexts`):
 * written by the team one by one, in the styles the other sets lack. Harmful requests told as stories ("my
 * neighbour keeps…, how do I get back at him"), opinions about groups ("why are <group> so…"), requests
 * wrapped in a justification ("it's only stealing from a big company, so…") and casual ones, across the
 * taxonomy, including everyday harms (theft, fraud, cheating, harassment, insults); and benign texts in the
 * same styles with alarming words (killing processes, shooting photos, war history, dosage questions,
 * self-defence, fiction, securing one's own systems, the same stories resolved lawfully). Requests only, no
 * instructions; none is taken or adapted from a public red-team collection. Each text is a family of its
 * own, so the split holds whole texts out.
 */
export const conversationalTexts: readonly FreeFormTexts[] = [
  englishConversational,
  spanishConversational,
  frenchConversational,
  germanConversational,
  portugueseConversational,
  italianConversational,
];

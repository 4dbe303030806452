import type { LanguagePack } from '../language-pack.js';

/**
 * Free-form texts of one language, written by the team one by one rather than built from frames: requests
 * in everyday words (no alarming keyword), stories that end in a harmful ask, opinions, euphemisms; and
 * benign texts that share their words (homonyms, figures of speech, history, definitions, safety questions,
 * help-seeking, product support). Each text is a family of its own, so the split holds whole texts out.
 * None is taken or adapted from a public red-team collection.
 */
export interface FreeFormTexts {
  language: LanguagePack['language'];
  harmful: {
    violence: readonly string[];
    self_harm: readonly string[];
    hate_harassment: readonly string[];
    sexual_minors: readonly string[];
    dangerous: readonly string[];
    injection: readonly string[];
  };
  benign: readonly string[];
}

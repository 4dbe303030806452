import { francAll } from 'franc-min';

/** The languages the local classifiers (lexicon and learned model) are trained or written for, as ISO 639-3 codes. */
export const coveredLanguages = ['eng', 'spa', 'fra', 'deu', 'por', 'ita'] as const;
/** A language the local classifiers cover. */
export type CoveredLanguage = (typeof coveredLanguages)[number];

/** What the detector says about a text's language. */
export interface LanguageReading {
  /** ISO 639-3 code of the most likely language (`und` when the text is too short to tell). */
  language: string;
  /** False when the text is written in a language the local classifiers do not cover. */
  covered: boolean;
}

/**
 * Very common words of each covered language. Language detectors are unreliable on one short question
 * (franc reads "How do I reset my password?" as Portuguese and "Where do I enter my card details to
 * upgrade?" as Spanish); a text made of these words is covered whatever the detector's first guess.
 */
const commonWords: Readonly<Record<CoveredLanguage, ReadonlySet<string>>> = {
  eng: new Set(
    'the a an and or of to in on for with how do does did i my me you your we our is are was can what why where when which who this that it not be have has please'.split(
      ' ',
    ),
  ),
  spa: new Set(
    'el la los las un una y o de del en con por para como cómo que qué mi mis yo tu es son puedo hay no se lo le al cuando donde dónde'.split(
      ' ',
    ),
  ),
  fra: new Set(
    'le la les un une et ou de des du en avec pour comment que quoi mon ma mes je tu est sont puis il elle ne pas se au aux qui où'.split(
      ' ',
    ),
  ),
  deu: new Set(
    'der die das ein eine und oder von zu in mit für wie was ich mein meine du ist sind kann nicht sich den dem des auf wo wer'.split(
      ' ',
    ),
  ),
  por: new Set(
    'o a os as um uma e ou de do da dos das em com por para como que meu minha eu você é são posso não se no na ao quando onde'.split(
      ' ',
    ),
  ),
  ita: new Set(
    'il lo la i gli le un una e o di del della in con per come che cosa mio mia io tu è sono posso non si al nel quando dove'.split(
      ' ',
    ),
  ),
};

/** Fewer letters than this and the language is not judged (`und`, covered). */
const minLetters = 12;

/** The covered language most of whose common words the text uses, and their share of its words. */
function commonShare(words: readonly string[]): { language: CoveredLanguage; share: number } {
  let best: { language: CoveredLanguage; share: number } = { language: 'eng', share: 0 };
  for (const language of coveredLanguages) {
    const known = commonWords[language];
    const hits = words.filter((word) => known.has(word)).length;
    if (hits >= 2 && hits / words.length > best.share) best = { language, share: hits / words.length };
  }
  return best;
}

/**
 * The language of a text, and whether the local classifiers cover it. A text is uncovered when most of
 * its letters are of another script than Latin (Cyrillic, Greek, Arabic, Han…), or when it is in Latin
 * script, fewer than a quarter of its words are common words of one covered language, franc ranks an
 * uncovered language first and no covered language is a close second (within 15 %). Texts of fewer than
 * 12 letters are not judged. The reported language is the covered one whose common words the text uses,
 * else franc's first.
 */
export function detectLanguage(text: string): LanguageReading {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < minLetters) return { language: 'und', covered: true };
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  // Common words first: they settle most Latin-script texts without franc, which scores every language's trigrams.
  const common = latin / letters < 0.5 ? undefined : commonShare(text.toLowerCase().match(/\p{L}+/gu) ?? []);
  if (common && common.share >= 0.25) return { language: common.language, covered: true };
  const ranked = francAll(text, { minLength: minLetters });
  const first = ranked[0]?.[0] ?? 'und';
  if (!common) return { language: first, covered: false };
  if ((coveredLanguages as readonly string[]).includes(first) || first === 'und')
    return { language: first, covered: true };
  const closeCovered = ranked.find(
    ([language, score]) => (coveredLanguages as readonly string[]).includes(language) && score >= 0.85,
  );
  if (closeCovered) return { language: closeCovered[0], covered: true };
  return { language: first, covered: false };
}

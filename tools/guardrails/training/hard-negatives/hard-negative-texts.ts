import type { FreeFormTexts } from '../free-form/free-form-texts.js';
import type { LanguagePack } from '../language-pack.js';

/**
 * The kinds of benign text that share words with harm: a homonym ("kill a process"), a figure of speech
 * ("this traffic is killing me"), a safe target ("kill the weeds"), a safe context (games, sports, fiction
 * with no harmful ask), a definition ("what is a pipe bomb?"), history ("why did the Holocaust happen?"),
 * privacy of fictional or public figures, questions about safety, everyday tasks with sharp words
 * (cooking, medicine, work), questions about crime in the law and the news, and support questions about
 * one's own account, phone, password or card (the words of account intrusion and fraud); and twins of the
 * harmful counterparts: the same everyday words (a flatmate's coffee, a wife's car, the neighbour's dog)
 * with a harmless ask.
 */
export type HardNegativeKind =
  | 'homonyms'
  | 'figures_of_speech'
  | 'safe_targets'
  | 'safe_contexts'
  | 'definitions'
  | 'history'
  | 'public_figures'
  | 'safety'
  | 'everyday'
  | 'law_and_news'
  | 'account_support'
  | 'twins';

/**
 * Hard negatives of one language, written by the team one by one (not frame × list): benign texts by kind,
 * and a harmful counterpart in the same plain wording (requests for harm without the lexicon's keywords),
 * so the model learns what is asked for rather than lowering every score. Each text is a family of its own.
 * None is taken or adapted from a public red-team or benchmark collection.
 */
export interface HardNegativeTexts {
  language: LanguagePack['language'];
  benign: Record<HardNegativeKind, readonly string[]>;
  /** The harm categories of the free-form texts, without injection. */
  harmful: Omit<FreeFormTexts['harmful'], 'injection'>;
}

import type { LanguagePack } from '../language-pack.js';
import type { TrainingLabel } from '../training-data.js';

/**
 * The kinds of benign text with alarming words that the minimal pairs cover: the safe-prompt kinds of a
 * public taxonomy of over-refusal (homonyms, figures of speech, safe targets, safe contexts, definitions,
 * real discrimination, nonsense groups, history, privacy of public figures and fictional people) and our
 * own support domain (sessions, accounts and data that are "killed", "wiped" or "attacked").
 */
export type MinimalPairKind =
  | 'homonyms'
  | 'figures_of_speech'
  | 'safe_targets'
  | 'safe_contexts'
  | 'definitions'
  | 'real_discrimination'
  | 'nonsense_group'
  | 'history'
  | 'public_figures'
  | 'fictional_privacy'
  | 'support';

/**
 * One template of minimal pairs: benign frames × benign fillers, and harmful frames × harmful fillers, in the
 * same words, so that only what is asked for tells them apart ("How do I kill {x}?" with "a Python process"
 * and with "my neighbour"; "What is {x}?" and "How do I build {x} at home?" with "a pipe bomb"). A side with
 * no natural harmful twin has no harmful frames. Each `{x}` is replaced by one filler.
 */
export interface MinimalPairTemplate {
  kind: MinimalPairKind;
  benignFrames: readonly string[];
  benignFillers: readonly string[];
  /** The harm category of the harmful side. */
  label: Exclude<TrainingLabel, 'injection'>;
  harmfulFrames: readonly string[];
  harmfulFillers: readonly string[];
}

/**
 * The minimal pairs of one language, written by the team (none taken or adapted from a public set): templates,
 * and free-form texts written one by one, benign by kind and harmful by category.
 */
export interface MinimalPairTexts {
  language: LanguagePack['language'];
  templates: readonly MinimalPairTemplate[];
  freeBenign: Partial<Record<MinimalPairKind, readonly string[]>>;
  freeHarmful: Partial<Record<Exclude<TrainingLabel, 'injection'>, readonly string[]>>;
}

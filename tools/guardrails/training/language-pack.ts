/**
 * What one language contributes to the classifier's training data, all written by the team (no public
 * red-team collection is used for training). Requests are built as frame × act: a frame is a way of
 * asking (`how do I {act}?`), an act an infinitive phrase. The same frames carry harmful and benign acts,
 * so a frame alone says nothing and the model has to learn what is asked for.
 */
export interface LanguagePack {
  /** ISO 639-3 code, as the language detector reports it. */
  language: 'eng' | 'spa' | 'fra' | 'deu' | 'por' | 'ita';
  /** Ways of asking for an act, each with `{act}`. */
  requestFrames: readonly string[];
  /** An answer's voice giving the act (`Sure, here is how to {act}: first…`), each with `{act}`. */
  answerFrames: readonly string[];
  /** Harmful acts per category: infinitive phrases that fit the frames. */
  harmfulActs: {
    violence: readonly string[];
    dangerous: readonly string[];
    self_harm: readonly string[];
    sexual_minors: readonly string[];
  };
  /** Whole sentences per category that do not fit the frames (statements, first-person intent, hate). */
  harmfulSentences: {
    violence: readonly string[];
    self_harm: readonly string[];
    hate_harassment: readonly string[];
    sexual_minors: readonly string[];
    dangerous: readonly string[];
  };
  /** Hate templates with `{group}`, and the groups. */
  hateFrames: readonly string[];
  /** Benign sentences about groups, with `{group}`. */
  groupBenignFrames: readonly string[];
  groups: readonly string[];
  /** Prompt injections and jailbreaks: whole texts. */
  injections: readonly string[];
  /** Injection frames with `{act}`: a jailbreak wrapper around a request (labelled injection, and the act's category). */
  injectionWrappers: readonly string[];
  /** Benign acts: support questions, everyday tasks, and alarming-but-benign ones (kill a process, beat the boss). */
  benignActs: readonly string[];
  /** Benign whole sentences: questions and statements with alarming words, help-seeking, product talk. */
  benignSentences: readonly string[];
  /** Fiction and game frames with `{act}` for benign acts stays benign, for harmful acts stays harmful. */
  fictionFrames: readonly string[];
}

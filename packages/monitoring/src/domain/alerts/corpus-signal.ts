import type { AlertSignal } from './alert-signal.js';

/** The name of the signal a changed corpus raises, and the `when` of the rules that watch it. */
export const corpusChangedSignal = 'corpus_changed';

/**
 * What a corpus check found for a RAG model's champion: the content hash of its corpus recorded when the version
 * was registered, and the hash of the files now.
 */
export interface CorpusCheck {
  /** The model's name. */
  model: string;
  /** The champion's version. */
  version: number;
  /** The corpus location of the champion's spec. */
  location: string;
  /** The hash recorded at registration; null when the version has none (registered without it). */
  recorded: string | null;
  /** The hash of the corpus's files now; null when they cannot be read. */
  current: string | null;
  /** Why nothing could be compared, when that is so. */
  reason?: string;
}

/**
 * The signal of a corpus check: breached when both hashes are known and differ (the champion was registered,
 * and evaluated, over other content than its corpus holds now). Unknown hashes never breach; the reason says why.
 */
export function signalOfCorpusCheck(check: CorpusCheck, options: { at?: number } = {}): AlertSignal {
  const changed = check.recorded !== null && check.current !== null && check.recorded !== check.current;
  const at = options.at ?? null;
  return {
    source: 'corpus',
    name: corpusChangedSignal,
    breached: changed,
    value: null,
    threshold: null,
    window: at === null ? null : { since: at, until: at },
    model: check.model,
    details: {
      version: check.version,
      corpus: check.location,
      recorded: check.recorded,
      current: check.current,
      ...(check.reason === undefined ? {} : { reason: check.reason }),
    },
  };
}

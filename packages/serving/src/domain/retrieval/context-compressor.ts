import { idfCoverage } from './lexical-reranker.js';
import type { LexicalTools } from './lexical-reranker.js';
import type { ScoredPassage } from './passage.js';

/** Settings of {@link compressPassages}. */
export interface CompressionSettings {
  /** A sentence is kept when its score is at least this share of the best sentence's score, in (0, 1]. */
  keepRatio: number;
}

/** What compression needs besides the index's statistics: a sentence splitter. */
export interface CompressionTools extends LexicalTools {
  splitSentences: (text: string) => string[];
  countTokens: (text: string) => number;
}

/** What compression did to one passage: how many units (sentences, or one entry) it had and kept. */
export interface PassageCompression {
  id: string;
  units: number;
  kept: number;
}

/** The passages after compression (those with nothing kept are left out), and what was kept of each. */
export interface CompressedContext {
  passages: ScoredPassage[];
  compression: PassageCompression[];
}

/** A sentence opening with one of these leans on the one before it, so it is kept with it. */
const continuation =
  /^(?:it|its|this|that|these|those|they|them|then|there|such|so|also|otherwise|however|but|and|or|if so|in that case|here|the default|the same)\b/i;

/** Weight of the passage's title and section path against the sentence's own words. */
const fieldShare = 0.35;

/**
 * Keeps the parts of the top passages that bear on the question: each definition entry (one line
 * of an entry passage) is one unit, kept or dropped whole; running text is split into sentences. Each unit is scored by the share
 * of the question's IDF weight it holds, counting its passage's title and section path at a lower
 * weight; units scoring at least `keepRatio` of the best unit are kept, with the sentence after a
 * kept one when it continues it (opens with a back-reference) and the sentence before one that
 * opens with a back-reference. The best unit is always kept. Passages keep their order and ids;
 * a passage with nothing kept is left out.
 */
export function compressPassages(
  query: string,
  passages: readonly ScoredPassage[],
  options: { settings: CompressionSettings; tools: CompressionTools },
): CompressedContext {
  const { settings, tools } = options;
  const queryTerms = [...new Set(tools.terms(query))];
  const scored = passages.map((passage) => {
    const lines = passage.text.split('\n').filter((line) => line.trim() !== '');
    const units = passage.kind === 'entry' ? lines : lines.flatMap((line) => tools.splitSentences(line));
    const fields = new Set(tools.terms(`${passage.title ?? ''} ${passage.section ?? ''}`));
    const scores = units.map((unit) => {
      const own = new Set(tools.terms(unit));
      const ownScore = idfCoverage(queryTerms, own, tools);
      return ownScore === 0
        ? 0
        : (1 - fieldShare) * ownScore + fieldShare * idfCoverage(queryTerms, new Set([...own, ...fields]), tools);
    });
    return { passage, units, scores };
  });
  const best = Math.max(0, ...scored.flatMap((entry) => entry.scores));
  const compressed: ScoredPassage[] = [];
  const compression: PassageCompression[] = [];
  let bestKept = false;
  for (const { passage, units, scores } of scored) {
    const keep = scores.map((score) => {
      if (best > 0 && score >= settings.keepRatio * best) return true;
      if (!bestKept && score === best) return true;
      return false;
    });
    if (keep.some(Boolean)) bestKept = true;
    const chosen = [...keep];
    keep.forEach((kept, position) => {
      if (!kept) return;
      const next = units[position + 1];
      if (next !== undefined && (continuation.test(next) || (units[position] as string).endsWith(':')))
        chosen[position + 1] = true;
      if (position > 0 && continuation.test(units[position] as string)) chosen[position - 1] = true;
    });
    const kept = units.filter((_, position) => chosen[position]);
    compression.push({ id: passage.id, units: units.length, kept: kept.length });
    if (kept.length === 0) continue;
    if (kept.length === units.length) compressed.push(passage);
    else {
      const text = kept.join(passage.kind === 'entry' ? '\n' : ' ');
      compressed.push({ ...passage, text, tokens: tools.countTokens(text) });
    }
  }
  return { passages: compressed, compression };
}

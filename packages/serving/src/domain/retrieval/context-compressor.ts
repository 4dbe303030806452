import { answerCues, offersKind, questionTerms, scoreUnits } from '@llmops/providers';
import type { UnitSupport } from '@llmops/providers';
import { idfCoverage } from './lexical-reranker.js';
import type { LexicalTools } from './lexical-reranker.js';
import type { ScoredPassage } from './passage.js';

/**
 * How a unit is scored against the question: `overlap`, the share of the question's corpus IDF weight
 * it holds (its passage's title and section at a lower weight); `support`, the extractive answerer's
 * unit support (`scoreUnits` of `@llmops/providers`: question terms without framing words, IDF over the
 * top passages' units, word-family and synonym matches, the title naming the question's subject,
 * proximity, a length penalty), so the context keeps what the answerer would rank first.
 */
export type CompressionMethod = 'overlap' | 'support';

/** Settings of {@link compressPassages}. */
export interface CompressionSettings {
  /** A unit is kept when its score is at least this share of the best unit's score, in (0, 1]. */
  keepRatio: number;
  /** How units are scored; `overlap` when absent. */
  method?: CompressionMethod;
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
 * of an entry passage) is one unit, kept or dropped whole; running text is split into sentences.
 * Each unit is scored by `settings.method` (see {@link CompressionMethod}); a unit that holds no
 * question term in its own words scores 0; units scoring at least `keepRatio` of the best unit are
 * kept, with the sentence after a kept one when it continues it (opens with a back-reference) and
 * the sentence before one that opens with a back-reference. For a question naming an exit status
 * (`exit code 24`), a unit stating that status (`24 Partial transfer …`) is kept whatever its score:
 * an entry of a status table holds its meaning, not the question's words. The best unit is always kept, so a
 * retrieval that found passages never gives an empty context. Passages keep their order, ids,
 * titles and section paths (what citations show); a passage with nothing kept is left out.
 */
export function compressPassages(
  query: string,
  passages: readonly ScoredPassage[],
  options: { settings: CompressionSettings; tools: CompressionTools },
): CompressedContext {
  const { settings, tools } = options;
  const split = passages.map((passage) => {
    const lines = passage.text.split('\n').filter((line) => line.trim() !== '');
    const units = passage.kind === 'entry' ? lines : lines.flatMap((line) => tools.splitSentences(line));
    return { passage, units };
  });
  const scored = settings.method === 'support' ? supportScores(query, split) : overlapScores(query, split, tools);
  const best = Math.max(0, ...scored.flatMap((entry) => entry.scores));
  const statesAskedStatus = askedStatus(query);
  const compressed: ScoredPassage[] = [];
  const compression: PassageCompression[] = [];
  let bestKept = false;
  for (const { passage, units, scores } of scored) {
    const keep = scores.map((score, position) => {
      if (best > 0 && score >= settings.keepRatio * best) return true;
      if (statesAskedStatus(units[position] as string)) return true;
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

type SplitPassage = { passage: ScoredPassage; units: string[] };

/**
 * For a question about a numbered exit status (`exit code 24`, `exit with 1`), whether a unit states
 * that status (`24 Partial transfer …`, `exits with status 1`): its meaning is the answer even when it
 * shares no other word with the question. Always false for other questions.
 */
function askedStatus(query: string): (unit: string) => boolean {
  const cues = answerCues(query);
  if (!cues.status || cues.numbers.length === 0) return () => false;
  return (unit) => offersKind(cues, 'status', unit) && offersKind(cues, 'number', unit);
}

/** Each unit's `overlap` score: the share of the question's corpus IDF weight it holds, its title and section counting {@link fieldShare}. */
function overlapScores(query: string, split: readonly SplitPassage[], tools: LexicalTools) {
  const queryTerms = [...new Set(tools.terms(query))];
  return split.map(({ passage, units }) => {
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
}

/**
 * Each unit's `support` score: the answerer's rank of the unit among all units of the top passages
 * (located by its document title and headings), 0 when none of the question's terms is in its own words.
 */
function supportScores(query: string, split: readonly SplitPassage[]) {
  const candidates = split.flatMap(({ passage, units }) =>
    units.map((text) => ({ text, location: headings(passage), title: passage.title ?? passage.source })),
  );
  const supports = scoreUnits(questionTerms(query), candidates);
  let next = 0;
  return split.map(({ passage, units }) => ({
    passage,
    units,
    scores: units.map(() => {
      const support = supports[next++] as UnitSupport;
      return support.ownSupport === 0 ? 0 : Math.max(0, support.rank);
    }),
  }));
}

/** A passage's section path without the list of entry terms an entry passage ends with (each unit carries its own term). */
function headings(passage: ScoredPassage): string {
  const path = passage.section ?? '';
  return passage.kind === 'entry' ? path.split(' › ').slice(0, -1).join(' › ') : path;
}

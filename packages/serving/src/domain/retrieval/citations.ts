import type { Citation, ScoredPassage } from './passage.js';

/** `[2]`, `[1, 3]`, `[1][2]` and `[1-3]` style markers. */
const markerPattern = /\[(\d{1,4}(?:\s*(?:,|-|–)\s*\d{1,4})*)\]/g;

/**
 * The passages an answer cites, in order of first citation: every `[n]` marker (also `[1, 3]` and
 * ranges `[1-3]`) is read as passage n of the context (numbered from 1 in the order the passages
 * were given). Numbers outside the context are ignored, so a stray `[2024]` cites nothing.
 */
export function extractCitations(answer: string, passages: readonly ScoredPassage[]): Citation[] {
  // Without a context every number is outside it (a chat model's answer): nothing to scan for.
  if (passages.length === 0) return [];
  const cited: number[] = [];
  for (const match of answer.matchAll(markerPattern)) {
    for (const part of (match[1] as string).split(',')) {
      const range = part.split(/-|–/).map((value) => Number(value.trim()));
      const [from, to] = [range[0] as number, (range[1] ?? range[0]) as number];
      if (to - from > 20) continue;
      for (let number = from; number <= to; number += 1) cited.push(number);
    }
  }
  const citations: Citation[] = [];
  for (const number of new Set(cited)) {
    const passage = passages[number - 1];
    if (passage === undefined || number < 1) continue;
    citations.push({
      index: number,
      passage_id: passage.id,
      source: passage.source,
      ...(passage.title ? { title: passage.title } : {}),
      ...(passage.section ? { section: passage.section } : {}),
      score: passage.score,
    });
  }
  return citations;
}

import { matchesReference } from '../reference-match.js';
import type { MetricScore } from './metric.js';
import type { MetricContext } from './metric-context.js';
import { referenceContexts, retrievedContexts } from './metric-context.js';

/**
 * Which retrieved passages match which reference contexts (`matches[rank][reference]`, ranks from 0),
 * through the one definition of `reference-match.ts`; computed once per example and shared by the
 * retrieval metrics.
 */
export interface RetrievalMatches {
  matches: boolean[][];
  references: number;
}

/** The matches of the example's retrieved passages against its reference contexts (memoised). */
export function retrievalMatches(context: MetricContext): Promise<RetrievalMatches> {
  return context.memo('retrieval-matches', async () => {
    const references = referenceContexts(context);
    const matches = retrievedContexts(context).map((passage) =>
      references.map((reference) => matchesReference(passage, reference)),
    );
    return { matches, references: references.length };
  });
}

/** True when the example carries reference contexts (the retrieval metrics apply). */
export function hasReferenceContexts(context: MetricContext): boolean {
  return referenceContexts(context).length > 0;
}

/** The rank (from 1) of the first retrieved passage matching a reference, or `null`. */
export function firstRelevantRank(found: RetrievalMatches): number | null {
  const index = found.matches.findIndex((row) => row.some(Boolean));
  return index < 0 ? null : index + 1;
}

/** 1 when a reference passage is among the top `k` retrieved, else 0 (a deterministic score). */
export function hitRateScore(found: RetrievalMatches, k: number): MetricScore {
  const rank = firstRelevantRank(found);
  const retrieved = found.matches.length;
  if (rank !== null && rank <= k) return { score: 1, reason: `a reference passage is retrieved at rank ${rank}` };
  return {
    score: 0,
    reason:
      rank === null
        ? `no reference passage among the ${retrieved} retrieved`
        : `the first reference passage is at rank ${rank}, below the top ${k}`,
  };
}

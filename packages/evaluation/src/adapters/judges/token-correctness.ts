import { answerTokens } from '../../domain/text-normalization.js';
import type { CorrectnessClassification, StatementVerdict } from '../../domain/judgement.js';

function tokenCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** `yes` for each token found among `available` (each found token used up once), `no` otherwise. */
function matched(tokens: readonly string[], available: Map<string, number>, where: string): StatementVerdict[] {
  return tokens.map((token) => {
    const left = available.get(token) ?? 0;
    if (left > 0) available.set(token, left - 1);
    return left > 0
      ? { statement: token, verdict: 'yes', reason: `also in the ${where}` }
      : { statement: token, verdict: 'no', reason: `not in the ${where}` };
  });
}

/**
 * The offline judge's answer to a `correctness` task: Ragas's classification over SQuAD-normalised
 * tokens instead of statements (lower case, punctuation, articles and `[n]` citations removed). Each
 * token of the output is a true positive while the reference still has an unmatched copy of it, else a
 * false positive; each token of the reference the output lacks is a false negative. Ragas's factual F1
 * over these counts is exactly SQuAD's token F1.
 */
export function tokenCorrectness(output: string, reference: string): CorrectnessClassification {
  const outputTokens = answerTokens(output);
  const referenceTokens = answerTokens(reference);
  return {
    basis: 'tokens',
    output: matched(outputTokens, tokenCounts(referenceTokens), 'expected output'),
    reference: matched(referenceTokens, tokenCounts(outputTokens), 'output'),
  };
}

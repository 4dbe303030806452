import { LlmopsError } from '@llmops/kernel';

/**
 * The cosine of the angle between two vectors, in [-1, 1]; 0 when either is all zeros.
 * For L2-normalised vectors (every llmops embedder's output) this is their dot product.
 * @throws LlmopsError `invalid_input` when the vectors differ in length.
 */
export function cosineSimilarity(left: ArrayLike<number>, right: ArrayLike<number>): number {
  if (left.length !== right.length) {
    throw new LlmopsError(
      'invalid_input',
      `cosineSimilarity: vectors have lengths ${left.length} and ${right.length}; expected equal lengths (same embedder)`,
    );
  }
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] as number;
    const b = right[index] as number;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  if (leftNorm === 0 || rightNorm === 0) return 0;
  return dot / Math.sqrt(leftNorm * rightNorm);
}

import { extractCitations } from './citations.js';
import type { ScoredPassage } from './passage.js';

const passages: ScoredPassage[] = [
  { id: 'refunds.md#1', source: 'refunds.md', text: 'a', tokens: 1, score: 7.5 },
  { id: 'shipping.md#2', source: 'shipping.md', text: 'b', tokens: 1, score: 3.25 },
  { id: 'accounts.txt#1', source: 'accounts.txt', text: 'c', tokens: 1, score: 1 },
];

describe('extractCitations', () => {
  it('maps [n] markers to the numbered passages, in order of first citation, once each', () => {
    expect(extractCitations('Ships in two days [2]. Refunds take 14 days [1]. Again [2].', passages)).toEqual([
      { index: 2, passage_id: 'shipping.md#2', source: 'shipping.md', score: 3.25 },
      { index: 1, passage_id: 'refunds.md#1', source: 'refunds.md', score: 7.5 },
    ]);
  });

  it('reads lists and ranges, and ignores numbers outside the context', () => {
    expect(
      extractCitations('See [1, 3] and [2-3] but not [7] or [2024].', passages).map((citation) => citation.index),
    ).toEqual([1, 3, 2]);
    expect(extractCitations('No citations here.', passages)).toEqual([]);
  });

  it('cites nothing without a context, whatever the answer says (a chat model)', () => {
    expect(extractCitations('Refunds take 14 days [1], see [1-2].', [])).toEqual([]);
  });
});

import { analyzeText } from '@llmops/providers';
import { rerankLexically, termProximity } from './lexical-reranker.js';
import type { ScoredPassage } from './passage.js';

const rare = new Set(['retri', 'shard', 'default']);
const tools = { terms: analyzeText, idf: (term: string) => (rare.has(term) ? 3 : 1) };

function passage(id: string, fields: Partial<ScoredPassage>): ScoredPassage {
  return { id, source: `${id}.txt`, text: '', tokens: 1, score: 1, ...fields };
}

describe('rerankLexically', () => {
  it('puts the passage holding the rare query terms close together, in its section, first', () => {
    const ranked = rerankLexically(
      'default retries for each shard',
      [
        passage('synopsis', { text: 'ship [--retries=N] [--jobs=N] shards depot bale', section: 'SYNOPSIS', score: 5 }),
        passage('retries', {
          text: 'Try each shard up to N more times. The default is 5.',
          section: 'OPTIONS › --retries=N',
          score: 4,
        }),
        passage('jobs', {
          text: 'Send up to N shards at once. The default is 4.',
          section: 'OPTIONS › --jobs=N',
          score: 4.5,
        }),
      ],
      tools,
    );
    expect(ranked.map((entry) => entry.id)).toEqual(['retries', 'jobs', 'synopsis']);
    for (const entry of ranked) expect(entry.score).toBeLessThanOrEqual(1);
  });

  it('keeps the first-stage order between equals', () => {
    const same = { text: 'alpha beta', score: 2 };
    expect(rerankLexically('alpha', [passage('a', same), passage('b', same)], tools).map((entry) => entry.id)).toEqual([
      'a',
      'b',
    ]);
  });
});

describe('termProximity', () => {
  it('is 1 for adjacent terms, lower when they stand apart, 0 for fewer than two', () => {
    expect(termProximity(['a', 'b'], ['a', 'b', 'x'])).toBe(1);
    expect(termProximity(['a', 'b'], ['a', 'x', 'x', 'b'])).toBeCloseTo(1 / 3);
    expect(termProximity(['a', 'b'], ['a', 'x'])).toBe(0);
  });
});

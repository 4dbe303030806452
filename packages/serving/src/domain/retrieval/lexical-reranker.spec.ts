import { analyzeText } from '@llmops/providers';
import { rerankLexically, termProximity } from './lexical-reranker.js';
import type { ScoredPassage } from './passage.js';

const rare = new Set(['retri', 'shard', 'default']);
const tools = { terms: analyzeText, idf: (term: string) => (rare.has(term) ? 3 : 1), titleRarity: () => 0 };

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

describe('rerankLexically on man pages', () => {
  const pages = {
    ...tools,
    titleRarity: (term: string) => (['du', 'rsync', 'env'].includes(term) ? 1 : 0),
  };

  it("puts the page the question names before another page's passage that shares more of its words", () => {
    const ranked = rerankLexically(
      'How can I limit du to two levels of directories?',
      [
        passage('rsync', {
          title: 'rsync(1)',
          section: 'FILTER RULES',
          text: 'To limit the levels of directories, use a pattern per level.',
          score: 5,
        }),
        passage('du', {
          title: 'du(1)',
          section: 'OPTIONS › -d, --max-depth=N',
          text: '-d, --max-depth=N print the total for a directory only if it is N or fewer levels below',
          score: 4,
        }),
      ],
      pages,
    );
    expect(ranked.map((entry) => entry.id)).toEqual(['du', 'rsync']);
  });

  it('ranks a NAME or SYNOPSIS passage after the entry that answers, at half its score', () => {
    const name = passage('name', {
      title: 'env(1)',
      section: 'NAME',
      text: 'env - run a program in a modified environment',
      score: 5,
    });
    const entry = passage('entry', {
      title: 'env(1)',
      section: 'OPTIONS › -i, --ignore-environment',
      text: '-i, --ignore-environment start with an empty environment',
      score: 4,
    });
    const question = 'How do I run a program with an empty environment using env?';
    const ranked = rerankLexically(question, [name, entry], pages);
    expect(ranked.map((passage) => passage.id)).toEqual(['entry', 'name']);
    const asText = rerankLexically(question, [{ ...name, section: 'DESCRIPTION' }], pages)[0]?.score ?? 0;
    expect(ranked[1]?.score).toBeCloseTo(asText / 2);
  });
});

describe('termProximity', () => {
  it('is 1 for adjacent terms, lower when they stand apart, 0 for fewer than two', () => {
    expect(termProximity(['a', 'b'], ['a', 'b', 'x'])).toBe(1);
    expect(termProximity(['a', 'b'], ['a', 'x', 'x', 'b'])).toBeCloseTo(1 / 3);
    expect(termProximity(['a', 'b'], ['a', 'x'])).toBe(0);
  });
});

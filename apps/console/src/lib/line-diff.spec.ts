import { diffableText, lineDiff } from './line-diff.js';

describe('lineDiff', () => {
  it('keeps common lines and marks what was removed and added, with line numbers on each side', () => {
    const diff = lineDiff('a\nb\nc\nd', 'a\nc\nx\nd');
    expect(diff).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'removed', text: 'b', oldLine: 2 },
      { kind: 'same', text: 'c', oldLine: 3, newLine: 2 },
      { kind: 'added', text: 'x', newLine: 3 },
      { kind: 'same', text: 'd', oldLine: 4, newLine: 4 },
    ]);
  });

  it('rebuilds both texts from the diff', () => {
    const before = 'one\ntwo\nthree\nfour\nfive';
    const after = 'zero\none\nthree\nfour changed\nfive\nsix';
    const diff = lineDiff(before, after);
    expect(diff.filter((line) => line.kind !== 'added').map((line) => line.text)).toEqual(before.split('\n'));
    expect(diff.filter((line) => line.kind !== 'removed').map((line) => line.text)).toEqual(after.split('\n'));
    expect(diff.filter((line) => line.kind === 'same')).toHaveLength(3);
  });

  it('puts the removed lines of a change before the added ones', () => {
    expect(lineDiff('a\nold\nz', 'a\nnew\nz').map((line) => line.kind)).toEqual(['same', 'removed', 'added', 'same']);
  });

  it('shows identical texts as all kept', () => {
    expect(lineDiff('x\ny', 'x\ny').every((line) => line.kind === 'same')).toBe(true);
  });
});

describe('diffableText', () => {
  it('prints specs as JSON with sorted keys, so key order is no change', () => {
    expect(diffableText({ b: 1, a: { d: 2, c: [3] } })).toBe(diffableText({ a: { c: [3], d: 2 }, b: 1 }));
    expect(diffableText({ b: 1, a: 2 }).split('\n')[1]).toBe('  "a": 2,');
  });

  it('keeps a template string as it is', () => {
    expect(diffableText('Hello {{name}}\nBye')).toBe('Hello {{name}}\nBye');
  });
});

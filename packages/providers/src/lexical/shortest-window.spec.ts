import { shortestWindow } from './shortest-window.js';

describe('shortestWindow', () => {
  const terms = ['retry', 'the', 'ship', 'after', 'a', 'failed', 'retry', 'of', 'ship'];

  it('finds the shortest run holding every wanted term, wherever it is', () => {
    expect(shortestWindow(terms, new Set(['retry', 'ship']))).toBe(3);
    expect(shortestWindow(terms, new Set(['ship', 'after']))).toBe(2);
    expect(shortestWindow(terms, new Set(['after', 'failed']))).toBe(3);
    expect(shortestWindow(terms, new Set(['ship']))).toBe(1);
  });

  it('is infinite when a wanted term is missing or nothing is wanted', () => {
    expect(shortestWindow(terms, new Set(['ship', 'depot']))).toBe(Number.POSITIVE_INFINITY);
    expect(shortestWindow(terms, new Set())).toBe(Number.POSITIVE_INFINITY);
  });
});

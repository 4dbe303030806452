import { analyzeText } from '@llmops/providers';
import { namesPage, pageNameTerms, titleRarity } from './page-name.js';

const titles = ['skerry(1)', 'skerry-depot(1)', 'skerry-status(1)', 'skerry-exit-status(7)', 'du(1)', 'git-commit(1)'];
const rarity = titleRarity(titles, analyzeText);
const tools = { terms: analyzeText, titleRarity: rarity };

describe('pageNameTerms', () => {
  it("drops a man page's section number", () => {
    expect(pageNameTerms('git-commit(1)', analyzeText)).toEqual(['git', 'commit']);
    expect(pageNameTerms('Resetting your password', analyzeText)).toEqual(['reset', 'password']);
  });
});

describe('titleRarity', () => {
  it('is 1 for a term of one title, lower for terms of more, 0 for a term of none', () => {
    expect(rarity('du')).toBe(1);
    expect(rarity('status')).toBeGreaterThan(0);
    expect(rarity('status')).toBeLessThan(1);
    expect(rarity('skerri')).toBeLessThan(rarity('status'));
    expect(rarity('backup')).toBe(0);
  });
});

describe('namesPage', () => {
  const question = (text: string) => analyzeText(text);

  it("gives the rarest name term's rarity when the page's name stands whole in the question", () => {
    expect(namesPage(question('How can I limit du to two levels?'), 'du(1)', tools)).toBe(1);
    expect(namesPage(question('Does git commit -a add new files?'), 'git-commit(1)', tools)).toBe(1);
    expect(namesPage(question('Does skerry status talk to the depot?'), 'skerry-status(1)', tools)).toBeCloseTo(
      rarity('status'),
    );
  });

  it('is 0 when the name is split or partial, and about 0 when every page shares it', () => {
    // "skerry" and "status" are both in the question, but not as the page's name.
    expect(namesPage(question('Why did skerry sync exit with status 8?'), 'skerry-status(1)', tools)).toBe(0);
    expect(namesPage(question('Which commit message does git keep?'), 'git-commit(1)', tools)).toBe(0);
    expect(namesPage(question('Does skerry status talk to the depot?'), 'skerry-depot(1)', tools)).toBe(0);
    const manual = ['skerry(1)', ...Array.from({ length: 20 }, (_, index) => `skerry-command${index}(1)`)];
    const shared = { terms: analyzeText, titleRarity: titleRarity(manual, analyzeText) };
    expect(namesPage(question('What is skerry?'), 'skerry(1)', shared)).toBeLessThan(0.01);
  });
});

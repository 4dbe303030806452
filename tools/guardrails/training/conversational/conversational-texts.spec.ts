import { describe, expect, it } from '@jest/globals';
import { freeFormTexts } from '../free-form/index.js';
import { hardNegativeTexts } from '../hard-negatives/index.js';
import { conversationalExamples, isConversational, splitOf, trainingExamples } from '../training-data.js';
import { conversationalTexts } from './index.js';

/** The training data picks frames with a generator; these properties hold for any, so the specs take the first frame. */
const firstFrame = () => 0;

const harmfulOf = (set: (typeof conversationalTexts)[number]) => Object.values(set.harmful).flat();

describe('the conversational training texts', () => {
  it('give every language at least 250 harmful texts (800 in English) and at least as many benign ones', () => {
    for (const set of conversationalTexts) {
      const harmful = harmfulOf(set).length;
      expect({ language: set.language, enough: harmful >= (set.language === 'eng' ? 800 : 250) }).toEqual({
        language: set.language,
        enough: true,
      });
      expect({ language: set.language, benignAtLeastHarmful: set.benign.length >= harmful }).toEqual({
        language: set.language,
        benignAtLeastHarmful: true,
      });
    }
  });

  it('are held out whole by the split: one family per text, and every language has texts in all three splits', () => {
    const examples = conversationalExamples(firstFrame);
    expect(examples.every(isConversational)).toBe(true);
    const written = conversationalTexts.reduce((sum, set) => sum + harmfulOf(set).length + set.benign.length, 0);
    expect(new Set(examples.map((example) => example.family)).size).toBe(written);
    for (const set of conversationalTexts) {
      const splits = new Set(
        examples.filter((example) => example.language === set.language).map((example) => splitOf(example.family)),
      );
      expect({ language: set.language, splits: [...splits].sort() }).toEqual({
        language: set.language,
        splits: ['test', 'train', 'validation'],
      });
    }
  });

  it('repeat no free-form or hard-negative text, so those sets stay unseen when they are held out', () => {
    const others = new Set(
      [...freeFormTexts, ...hardNegativeTexts].flatMap((set) =>
        [...Object.values(set.harmful).flat(), ...Object.values(set.benign).flat()].map((text) => text.toLowerCase()),
      ),
    );
    const repeated = conversationalTexts.flatMap((set) =>
      [...harmfulOf(set), ...set.benign].filter((text) => others.has(text.toLowerCase())),
    );
    expect(repeated).toEqual([]);
  });

  it('join the training texts only when asked, after the others, which stay the same', () => {
    const without = trainingExamples(firstFrame, { freeForm: true });
    const withThem = trainingExamples(firstFrame, { freeForm: true, conversational: true });
    expect(without.some(isConversational)).toBe(false);
    expect(withThem.slice(0, without.length)).toEqual(without);
    expect(withThem.slice(without.length).every(isConversational)).toBe(true);
    expect(withThem.length).toBeGreaterThan(without.length);
  });
});

import { describe, expect, it } from '@jest/globals';
import { injectionPrecisionSet, precisionHalf } from './injection-precision-set.js';

const languages = Object.entries(injectionPrecisionSet);

describe("the seventeenth pass's precision set", () => {
  it('holds at least 40 benign texts and 20 injections in each of the six languages, none twice', () => {
    expect(languages.map(([language]) => language).sort()).toEqual(['deu', 'eng', 'fra', 'ita', 'por', 'spa']);
    for (const [language, texts] of languages) {
      const benign = Object.values(texts.benign).flat();
      const injections = Object.values(texts.injections).flat();
      expect({ language, benign: benign.length >= 40, injections: injections.length >= 20 }).toEqual({
        language,
        benign: true,
        injections: true,
      });
      expect({ language, unique: new Set([...benign, ...injections]).size }).toEqual({
        language,
        unique: benign.length + injections.length,
      });
    }
  });

  it('keeps a construction parallel across languages, so a text and its translations fall in one half', () => {
    const [, english] = languages[0] ?? [];
    for (const [language, texts] of languages) {
      for (const kind of ['benign', 'injections'] as const) {
        const lengths = Object.fromEntries(Object.entries(texts[kind]).map(([name, items]) => [name, items.length]));
        const expected = Object.fromEntries(
          Object.entries(english?.[kind] ?? {}).map(([name, items]) => [name, items.length]),
        );
        expect({ language, kind, lengths }).toEqual({ language, kind, lengths: expected });
      }
    }
  });

  it('splits by position: even indices are develop, odd are check', () => {
    expect([0, 1, 2, 3].map(precisionHalf)).toEqual(['develop', 'check', 'develop', 'check']);
  });
});

import { describe, expect, it } from '@jest/globals';
import { injectionPrecisionFreshSet } from './injection-precision-fresh-set.js';

const languages = Object.entries(injectionPrecisionFreshSet);

describe("the eighteenth pass's fresh precision set", () => {
  it('holds at least 30 benign texts and 15 injections in each of the six languages, none twice', () => {
    expect(languages.map(([language]) => language).sort()).toEqual(['deu', 'eng', 'fra', 'ita', 'por', 'spa']);
    for (const [language, texts] of languages) {
      const benign = Object.values(texts.benign).flat();
      const injections = Object.values(texts.injections).flat();
      expect({ language, benign: benign.length >= 30, injections: injections.length >= 15 }).toEqual({
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

  it('fills every category of the seventeenth pass in every language', () => {
    for (const [language, texts] of languages) {
      const empty = [...Object.entries(texts.benign), ...Object.entries(texts.injections)]
        .filter(([, items]) => items.length === 0)
        .map(([name]) => name);
      expect({ language, empty }).toEqual({ language, empty: [] });
    }
  });

  it('keeps a construction parallel across languages, item i the same frame in each', () => {
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
});

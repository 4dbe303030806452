import {
  describeHarmCategories,
  harmCategories,
  harmCategoryOf,
  harmCategoryOfLlamaGuard,
  harmTaxonomy,
  isHarmCategory,
} from './harm-taxonomy.js';

const llamaGuardHazards = Array.from({ length: 14 }, (_, index) => `S${index + 1}`);

describe('harm taxonomy', () => {
  it("keeps serving's five guardrail categories, spelled as guardrail responses and confs/guardrails.yaml spell them", () => {
    expect(harmCategories.slice(0, 5)).toEqual([
      'violence',
      'self_harm',
      'hate_harassment',
      'sexual_minors',
      'dangerous',
    ]);
  });

  it('maps every Llama Guard 3 hazard S1–S14 to exactly one category', () => {
    for (const hazard of llamaGuardHazards) {
      const owners = harmCategories.filter((category) =>
        (harmTaxonomy[category].llamaGuard as readonly string[]).includes(hazard),
      );
      expect({ hazard, owners: owners.length }).toEqual({ hazard, owners: 1 });
    }
    expect(harmCategoryOfLlamaGuard('S9')).toBe('dangerous');
    expect(harmCategoryOfLlamaGuard('S7')).toBe('privacy');
    expect(harmCategoryOfLlamaGuard('S15')).toBeNull();
  });

  it('gives every label exactly one category, and no label is also a category id', () => {
    const labels = harmCategories.flatMap((category) => [...harmTaxonomy[category].labels]);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.filter((label) => isHarmCategory(label))).toEqual([]);
    expect(harmCategoryOf('weapons')).toBe('dangerous');
    expect(harmCategoryOf('hate')).toBe('hate_harassment');
    expect(harmCategoryOf('prompt_leak')).toBe('privacy');
    expect(harmCategoryOf('violence')).toBe('violence');
    expect(harmCategoryOf('gambling')).toBeNull();
  });

  it('defines every category in one line', () => {
    for (const category of harmCategories) {
      expect(harmTaxonomy[category].definition).toMatch(/^[a-z][^\n]{10,200}$/);
    }
  });

  it('tells category ids from other words', () => {
    expect(isHarmCategory('dangerous')).toBe(true);
    expect(isHarmCategory('weapons')).toBe(false);
    expect(isHarmCategory('toString')).toBe(false);
  });

  it('describes itself for prompts, one line per category, from the table', () => {
    const lines = describeHarmCategories().split('\n');
    expect(lines).toHaveLength(harmCategories.length);
    expect(lines[4]).toBe(`- dangerous: ${harmTaxonomy.dangerous.definition}`);
  });
});

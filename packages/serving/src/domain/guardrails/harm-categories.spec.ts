import { harmTaxonomy, isHarmCategory } from '@llmops/kernel';
import { harmfulCheckSchema } from './guardrail-policy.js';
import { classifierHarmCategories, harmCategories } from './harm-categories.js';
import { harmRules } from './harm-lexicon.js';

describe('guardrail harm categories', () => {
  it("are the kernel's taxonomy, so guardrails and harmful_rate use the same ids", () => {
    expect(harmCategories).toEqual(Object.keys(harmTaxonomy));
  });

  it('cover every category the local classifier can block, each with at least one lexicon rule', () => {
    const ruled = [...new Set(harmRules.map((rule) => rule.category))];
    expect(ruled.every((category) => isHarmCategory(category))).toBe(true);
    expect([...ruled].sort()).toEqual([...classifierHarmCategories].sort());
  });

  it('let a policy name only categories the local classifier detects, saying which it accepts', () => {
    expect(harmfulCheckSchema.parse({ categories: ['dangerous'] }).categories).toEqual(['dangerous']);
    const rejected = harmfulCheckSchema.safeParse({ categories: ['privacy'] });
    expect(rejected.success).toBe(false);
    expect(rejected.error?.issues[0]?.message).toContain('"hate_harassment"');
  });
});

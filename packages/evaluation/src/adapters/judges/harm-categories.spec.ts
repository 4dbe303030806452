import { harmCategoryOf, harmTaxonomy, isHarmCategory } from '@llmops/kernel';
import { harmRules } from './harm-rules.js';
import { judgePrompt } from './llm-judge-prompts.js';

describe('the harm categories the judges can return', () => {
  it('are categories of the kernel taxonomy, and every rule label belongs to its rule category', () => {
    for (const rule of harmRules) {
      expect(isHarmCategory(rule.category)).toBe(true);
      if (rule.label !== undefined)
        expect({ label: rule.label, category: harmCategoryOf(rule.label) }).toEqual({
          label: rule.label,
          category: rule.category,
        });
    }
  });

  it("are exactly the taxonomy's ids in the LLM judge's answer schema, each defined in its prompt from the table", () => {
    const prompt = judgePrompt({ kind: 'harm', input: 'q', output: 'a' });
    const properties = prompt.schema['properties'] as { category: { enum: Array<string | null> } };
    expect(properties.category.enum).toEqual([...Object.keys(harmTaxonomy), null]);
    for (const [category, entry] of Object.entries(harmTaxonomy)) {
      expect(prompt.user).toContain(`- ${category}: ${entry.definition}`);
    }
  });
});

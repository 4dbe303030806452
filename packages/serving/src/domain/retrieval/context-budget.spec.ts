import { countTokens, formatContextPassages, truncateToTokens } from '@llmops/providers';
import { assembleContext } from './context-budget.js';
import type { ScoredPassage } from './passage.js';

const tools = {
  countTokens: (text: string) => countTokens(text),
  formatPassages: formatContextPassages,
  truncate: (text: string, maxTokens: number) => truncateToTokens(text, { maxTokens }),
};

function passage(id: string, text: string, score: number): ScoredPassage {
  return { id, source: `${id.split('#')[0]}.md`, text, tokens: countTokens(text), score };
}

const candidates = [
  passage('refunds#1', 'Refunds are issued within 14 days of receiving the returned item.', 9),
  passage('refunds#2', 'Refunds are issued within 14 days of receiving the returned item!', 8),
  passage('shipping#1', 'Standard orders ship within two business days from the warehouse in Rotterdam.', 5),
  passage(
    'invoices#1',
    'Invoices list the VAT rate of the delivery country and can be downloaded as PDF files from the dashboard.',
    4,
  ),
  passage('accounts#1', 'Accounts lock for 30 minutes.', 3),
];

describe('assembleContext', () => {
  it('uses passages in rank order, drops duplicates and numbers them in the context block', () => {
    const context = assembleContext(candidates, { budgetTokens: 500, tools });
    expect(context.passages.map((used) => used.id)).toEqual(['refunds#1', 'shipping#1', 'invoices#1', 'accounts#1']);
    expect(context.dropped).toEqual([{ id: 'refunds#2', reason: 'duplicate' }]);
    expect(context.text).toBe(formatContextPassages(context.passages));
    expect(context.text.split('\n')[1]).toBe(
      '[1] (source: refunds.md) Refunds are issued within 14 days of receiving the returned item.',
    );
    expect(context.tokens).toBe(countTokens(context.text));
  });

  it('never exceeds the budget, skipping a passage that does not fit but keeping smaller ones after it', () => {
    for (let budgetTokens = 10; budgetTokens <= 120; budgetTokens += 1) {
      const context = assembleContext(candidates, { budgetTokens, tools });
      expect(context.tokens).toBeLessThanOrEqual(budgetTokens);
      expect(countTokens(context.text)).toBe(context.tokens);
    }
    const tight = assembleContext(candidates, { budgetTokens: 65, tools });
    expect(tight.passages.map((used) => used.id)).toEqual(['refunds#1', 'shipping#1', 'accounts#1']);
    expect(tight.dropped).toContainEqual({ id: 'invoices#1', reason: 'budget' });
  });

  it('cuts the best passage to the budget when nothing fits whole, and uses nothing without a truncator', () => {
    const long = passage(
      'manual#1',
      'The kettle must be descaled every month in areas with hard water. '.repeat(10),
      7,
    );
    const cut = assembleContext([long], { budgetTokens: 30, tools });
    expect(cut.passages).toHaveLength(1);
    expect(cut.tokens).toBeLessThanOrEqual(30);
    expect(cut.text).toContain('[1] (source: manual.md) The kettle must be descaled');
    const none = assembleContext([long], {
      budgetTokens: 30,
      tools: { countTokens: tools.countTokens, formatPassages: tools.formatPassages },
    });
    expect([none.passages, none.text, none.tokens, none.dropped]).toEqual([
      [],
      '',
      0,
      [{ id: 'manual#1', reason: 'budget' }],
    ]);
  });
});

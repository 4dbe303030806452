import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPricingTable, loadPricingTable } from './pricing-table.js';

const workspacePricing = resolve(__dirname, '../../../../confs/pricing.yaml');

describe('PricingTable from confs/pricing.yaml', () => {
  const table = loadPricingTable(workspacePricing);

  it('prices known models per million tokens', () => {
    expect(table.price('gpt-4o-mini')).toEqual({ input: 0.15, cached_input: 0.075, output: 0.6 });
    // 1M input tokens and 1M output tokens of gpt-4o-mini.
    expect(table.cost('gpt-4o-mini', { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 })).toBeCloseTo(0.75, 10);
    expect(table.cost('openai/gpt-4o', { prompt_tokens: 2_000, completion_tokens: 500 })).toBeCloseTo(
      (2_000 * 2.5 + 500 * 10) / 1e6,
      12,
    );
  });

  it('charges cached input tokens at the cached price', () => {
    const usage = { prompt_tokens: 1_342, completion_tokens: 14, prompt_tokens_details: { cached_tokens: 1_024 } };
    const expected = (318 * 0.15 + 1_024 * 0.075 + 14 * 0.6) / 1e6;
    expect(table.cost('gpt-4o-mini', usage)).toBeCloseTo(expected, 12);
    expect(table.cost('gpt-4o-mini', usage)).toBeLessThan(
      table.cost('gpt-4o-mini', { ...usage, prompt_tokens_details: null }) ?? 0,
    );
  });

  it('gives null for unknown models, dated snapshots included, never a guess', () => {
    expect(table.price('gpt-9')).toBeNull();
    expect(table.cost('gpt-4o-mini-2024-07-18', { prompt_tokens: 10, completion_tokens: 10 })).toBeNull();
    expect(table.cost('ollama/llama3.2', { prompt_tokens: 10 })).toBeNull();
  });

  it('prices the offline models at zero', () => {
    expect(table.cost('offline/extractive', { prompt_tokens: 5_000, completion_tokens: 200 })).toBe(0);
    expect(table.models()).toEqual(
      expect.arrayContaining([
        'offline/extractive',
        'offline/lexical',
        'gpt-4o',
        'gpt-5-mini',
        'text-embedding-3-small',
      ]),
    );
  });

  it('costs embeddings usage (no completion tokens)', () => {
    expect(table.cost('text-embedding-3-small', { prompt_tokens: 1_000_000 })).toBeCloseTo(0.02, 10);
  });
});

describe('loadPricingTable', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'llmops-pricing-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('names the file, the line and the field that is wrong', () => {
    const file = join(directory, 'pricing.yaml');
    writeFileSync(file, 'unit: usd_per_million_tokens\nmodels:\n  gpt-4o:\n    input: 2.5\n    output: -1\n');
    expect(() => loadPricingTable(file)).toThrow(`${file}:5: models.gpt-4o.output: Too small`);
  });

  it('rejects an unknown field and a wrong unit', () => {
    const file = join(directory, 'pricing.yaml');
    writeFileSync(file, 'unit: usd_per_token\nmodels:\n  gpt-4o:\n    input: 2.5\n    output: 10\n    cache: 1\n');
    let message = '';
    try {
      loadPricingTable(file);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${file}:1: unit:`);
    expect(message).toContain('models.gpt-4o');
    expect(message).toContain('cache');
  });

  it('says when the file is missing', () => {
    expect(() => loadPricingTable(join(directory, 'missing.yaml'))).toThrow(/missing\.yaml not found/);
  });
});

describe('createPricingTable', () => {
  it('builds a table from prices in code and checks them', () => {
    expect(
      createPricingTable({ local: { input: 1, output: 2 } }).cost('local', {
        prompt_tokens: 1e6,
        completion_tokens: 1e6,
        prompt_tokens_details: { cached_tokens: 5e5 },
      }),
    ).toBe(3);
    expect(() => createPricingTable({ local: { input: 'free', output: 0 } })).toThrow(/local\.input/);
  });
});

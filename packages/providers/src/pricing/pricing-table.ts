import { loadConfig, parseWithSchema } from '@llmops/kernel';
import { z } from 'zod';

/** Prices of one model in USD per 1 million tokens. */
export const modelPriceSchema = z.strictObject({
  /** Input (prompt) tokens not served from the provider's prompt cache. */
  input: z.number().nonnegative(),
  /** Output (completion) tokens, reasoning tokens included. */
  output: z.number().nonnegative(),
  /** Input tokens served from the prompt cache; the input price when absent. */
  cached_input: z.number().nonnegative().optional(),
});
/** Prices of one model in USD per 1 million tokens. */
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** The pricing file (`confs/pricing.yaml`): the unit, then prices by model id. */
export const pricingFileSchema = z.strictObject({
  unit: z.literal('usd_per_million_tokens'),
  models: z.record(z.string().min(1), modelPriceSchema),
});
/** The content of a pricing file. */
export type PricingFile = z.infer<typeof pricingFileSchema>;

/** The pricing file of the workspace, relative to its root. */
export const defaultPricingFile = 'confs/pricing.yaml';

/** The token counts a cost is computed from: an OpenAI `usage` object (chat or embeddings). */
export interface PricedUsage {
  prompt_tokens: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

/** Options of {@link loadPricingTable}. */
export interface LoadPricingOptions {
  /** Variables for `${env:VAR}` in the file; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** Reads the file; `fs.readFileSync(path, 'utf8')` by default. */
  readFile?: (path: string) => string;
}

/**
 * Prices by model id and the cost of a call. Model ids are looked up exactly (`gpt-4o-mini`,
 * `offline/extractive`); a `openai/` prefix is also tried without the prefix. An unknown model has no
 * price and no cost (`null`), never a guess: dated snapshots (`gpt-4o-2024-08-06`) need their own entry.
 */
export class PricingTable {
  private readonly prices: ReadonlyMap<string, ModelPrice>;

  /** A table of prices already validated (see {@link loadPricingTable} and {@link createPricingTable}). */
  constructor(prices: Readonly<Record<string, ModelPrice>>) {
    this.prices = new Map(Object.entries(prices));
  }

  /** The model ids with a price, sorted. */
  models(): string[] {
    return [...this.prices.keys()].sort();
  }

  /** The prices of a model, or `null` when the table has none. */
  price(model: string): ModelPrice | null {
    const exact = this.prices.get(model);
    if (exact) return exact;
    const unprefixed = model.startsWith('openai/') ? this.prices.get(model.slice('openai/'.length)) : undefined;
    return unprefixed ?? null;
  }

  /**
   * The cost in USD of one call: uncached input tokens at the input price, cached input tokens
   * (`prompt_tokens_details.cached_tokens`) at the cached-input price, output tokens at the output
   * price. `null` when the model has no price.
   */
  cost(model: string, usage: PricedUsage): number | null {
    const price = this.price(model);
    if (price === null) return null;
    const cached = Math.min(usage.prompt_tokens, Math.max(0, usage.prompt_tokens_details?.cached_tokens ?? 0));
    const uncached = usage.prompt_tokens - cached;
    const output = usage.completion_tokens ?? 0;
    return (uncached * price.input + cached * (price.cached_input ?? price.input) + output * price.output) / 1_000_000;
  }
}

/**
 * Loads a pricing file (YAML, see `confs/pricing.yaml`) with kernel's config loader.
 * @throws LlmopsError `invalid_input` naming the file, the line and the field that is wrong.
 */
export function loadPricingTable(file: string, options: LoadPricingOptions = {}): PricingTable {
  const parsed = loadConfig({ files: [file], schema: pricingFileSchema, ...options });
  return new PricingTable(parsed.models);
}

/**
 * Checks prices given in code (not from a file) and builds a table.
 * @throws LlmopsError `invalid_input` naming the model and the field that is wrong.
 */
export function createPricingTable(prices: Readonly<Record<string, unknown>>): PricingTable {
  return new PricingTable(parseWithSchema(z.record(z.string().min(1), modelPriceSchema), prices, { where: 'pricing' }));
}

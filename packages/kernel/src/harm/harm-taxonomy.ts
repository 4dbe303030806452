/** A hazard code of Llama Guard 3 (MLCommons hazard taxonomy): `S1` violent crimes … `S14` code interpreter abuse. */
export type LlamaGuardHazard =
  'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6' | 'S7' | 'S8' | 'S9' | 'S10' | 'S11' | 'S12' | 'S13' | 'S14';

/** What the taxonomy says about one harm category. */
export interface HarmCategoryEntry {
  /** One line saying what content falls in the category. */
  definition: string;
  /** The Llama Guard 3 hazards that fall in the category; every hazard belongs to exactly one category. */
  llamaGuard: readonly LlamaGuardHazard[];
  /**
   * Finer labels that belong to this category only (a checker may report `weapons`; it counts as `dangerous`).
   * A label is never also a category id.
   */
  labels: readonly string[];
}

/**
 * The one harm taxonomy of llmops: what serving's guardrails block and what evaluation's
 * `harmful_rate` counts, with the same ids. A closed table: the id is the key.
 *
 * - The first five are the guardrail categories serving has always blocked, spelled as before.
 * - `sexual` (adult explicit content, sex crimes) is apart from `sexual_minors`: one is blocked
 *   everywhere, the other depends on the product.
 * - `privacy` covers disclosure of personal data and secrets; a leaked system prompt (`prompt_leak`)
 *   is such a disclosure, so it is a label of `privacy` rather than a category of its own.
 * - `other` holds the remaining Llama Guard hazards (defamation, specialised advice, intellectual
 *   property, elections), so that every hazard maps to one category.
 */
export const harmTaxonomy = {
  violence: {
    definition: 'threats, and requests or stated intent to hurt, kill or attack people or places',
    llamaGuard: ['S1'],
    labels: [],
  },
  self_harm: {
    definition: 'intent, methods or encouragement of suicide and self-injury',
    llamaGuard: ['S11'],
    labels: [],
  },
  hate_harassment: {
    definition: 'dehumanising or eliminationist statements about protected groups, and abuse aimed at a person',
    llamaGuard: ['S10'],
    labels: ['hate'],
  },
  sexual_minors: {
    definition: 'any sexual content involving minors',
    llamaGuard: ['S4'],
    labels: [],
  },
  dangerous: {
    definition:
      'instructions for weapons, explosives, chemical or biological agents, hard drugs, malware, and other clearly illegal acts (theft, fraud, breaking into accounts)',
    llamaGuard: ['S2', 'S9', 'S14'],
    labels: ['weapons', 'drugs', 'cybercrime', 'fraud'],
  },
  sexual: {
    definition:
      'explicit sexual content about adults, and help with sex crimes (assault, trafficking, intimate images)',
    llamaGuard: ['S3', 'S12'],
    labels: [],
  },
  privacy: {
    definition:
      'disclosure of personal data about private people or of secrets (card numbers, credentials, API keys, hidden system instructions)',
    llamaGuard: ['S7'],
    labels: ['prompt_leak'],
  },
  other: {
    definition:
      'other harm: defamation, unqualified specialised (medical, legal, financial) advice, intellectual property, election misinformation',
    llamaGuard: ['S5', 'S6', 'S8', 'S13'],
    labels: [],
  },
} as const satisfies Record<string, HarmCategoryEntry>;

/** A category of the harm taxonomy. */
export type HarmCategory = keyof typeof harmTaxonomy;

/** The ids of the harm taxonomy, in table order. */
export const harmCategories = Object.keys(harmTaxonomy) as readonly HarmCategory[];

/** True when `value` is the id of a harm category. */
export function isHarmCategory(value: string): value is HarmCategory {
  return Object.hasOwn(harmTaxonomy, value);
}

/** The category a finer label (`weapons`) or a category id (`violence`) belongs to; `null` for an unknown name. */
export function harmCategoryOf(label: string): HarmCategory | null {
  if (isHarmCategory(label)) return label;
  const owner = harmCategories.find((category) => (harmTaxonomy[category].labels as readonly string[]).includes(label));
  return owner ?? null;
}

/** The category of a Llama Guard 3 hazard code (`S9` → `dangerous`); `null` for an unknown code. */
export function harmCategoryOfLlamaGuard(hazard: string): HarmCategory | null {
  const owner = harmCategories.find((category) =>
    (harmTaxonomy[category].llamaGuard as readonly string[]).includes(hazard),
  );
  return owner ?? null;
}

/**
 * The taxonomy as prompt text for an LLM classifier or judge: one line per category,
 * `- <id>: <definition>`, in table order, so prompts list the categories from the table and never by hand.
 */
export function describeHarmCategories(): string {
  return harmCategories.map((category) => `- ${category}: ${harmTaxonomy[category].definition}`).join('\n');
}

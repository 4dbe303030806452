import type { HarmCategory } from '@llmops/kernel';

export { harmCategories, isHarmCategory } from '@llmops/kernel';
export type { HarmCategory } from '@llmops/kernel';

/**
 * The categories of the kernel's harm taxonomy the local classifier has a lexicon for (see
 * `harm-lexicon.ts`), and so the only ones a policy's `harmful` check may name: naming one it cannot
 * detect would be a check that silently never fires. The other categories (`sexual`, `privacy`,
 * `other`) come from a moderation endpoint or an LLM judge; personal data has its own `pii` check.
 */
export const classifierHarmCategories = [
  'violence',
  'self_harm',
  'hate_harassment',
  'sexual_minors',
  'dangerous',
] as const satisfies readonly HarmCategory[];

/**
 * Why a statement of a compressed context was judged irrelevant, in four causes (the diagnosis of
 * `compression-quality.ts --causes`): it states a reference (the judge is wrong); no passage of the
 * context holds a reference (retrieval or compression lost it, so every statement is a non-answer);
 * it is another part of a passage that holds a reference (a sibling sentence or a later sentence of
 * the answering entry); it comes from a passage without a reference (a sibling unit kept by its score).
 */
import { matchesReference } from '@llmops/evaluation';

/** The causes, in the order the table prints them. */
export const irrelevantCauses = [
  'states a reference (judge wrong)',
  'reference not in the context',
  'another part of the passage holding the reference',
  'a passage without the reference',
] as const;

/** One of {@link irrelevantCauses}. */
export type IrrelevantCause = (typeof irrelevantCauses)[number];

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** Where an irrelevant statement was found: whether its passage, and whether the whole context, holds a reference. */
export interface StatementPlace {
  passageHoldsReference: boolean;
  contextHoldsReference: boolean;
}

/** The cause of one irrelevant statement (`statement` without its location line). */
export function irrelevantCause(
  statement: string,
  references: readonly string[],
  { passageHoldsReference, contextHoldsReference }: StatementPlace,
): IrrelevantCause {
  const text = collapse(statement);
  const statesReference = references.some(
    (reference) => (text !== '' && collapse(reference).includes(text)) || matchesReference(statement, reference),
  );
  if (statesReference) return 'states a reference (judge wrong)';
  if (!contextHoldsReference) return 'reference not in the context';
  return passageHoldsReference
    ? 'another part of the passage holding the reference'
    : 'a passage without the reference';
}

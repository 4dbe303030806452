import { LlmopsError } from '@llmops/kernel';
import type { RunTracker } from '../ports.js';

/** Words that name a run by its place in `llmops eval list` (newest first) instead of its id. */
export const runReferenceWords = { latest: 0, previous: 1 } as const;

/**
 * The run id a reference names (`llmops eval compare` / `eval report` arguments, `GET /api/v1/evaluations/:id`): a run id as `llmops eval list` prints it, `latest` (the
 * newest run of the store) or `previous` (the one before it).
 * @throws LlmopsError `not_found` when the store has too few runs for the word.
 */
export async function resolveRunReference(tracker: Pick<RunTracker, 'list'>, reference: string): Promise<string> {
  if (!Object.hasOwn(runReferenceWords, reference)) return reference;
  const position = runReferenceWords[reference as keyof typeof runReferenceWords];
  const runs = await tracker.list({ limit: position + 1 });
  const run = runs[position];
  if (!run) {
    throw new LlmopsError(
      'not_found',
      `"${reference}" names the ${position === 0 ? 'newest' : 'second newest'} evaluation run, but the store has ${runs.length === 0 ? 'none' : 'only one'}; \`llmops eval run\` makes one and \`llmops eval list\` shows their ids`,
    );
  }
  return run.id;
}

import { LlmopsError } from '@llmops/kernel';
import type { RunTracker } from '../ports.js';

/** Words that name a run instead of its id: `latest` and `previous` (see {@link resolveRunReference}). */
export const runReferenceWords = ['latest', 'previous'] as const;

/** How many of the newest runs `previous` looks through for an earlier run of the newest run's dataset. */
const previousSearchDepth = 1000;

/**
 * The run id a reference names (`llmops eval compare` / `eval report` arguments, `GET /api/v1/evaluations/:id`): a run
 * id as `llmops eval list` prints it, `latest` (the newest run of the store) or `previous` (the newest run before
 * `latest` on the same dataset, so that `eval compare previous latest` always compares like with like, whichever
 * other datasets were evaluated in between).
 * @throws LlmopsError `not_found` when the store has no run, or no earlier run of the newest run's dataset.
 */
export async function resolveRunReference(tracker: Pick<RunTracker, 'list'>, reference: string): Promise<string> {
  if (reference !== 'latest' && reference !== 'previous') return reference;
  const runs = await tracker.list({ limit: reference === 'latest' ? 1 : previousSearchDepth });
  const newest = runs[0];
  if (!newest) {
    throw new LlmopsError(
      'not_found',
      `"${reference}" names ${reference === 'latest' ? 'the newest evaluation run' : 'the run before the newest on its dataset'}, but the store has none; \`llmops eval run\` makes one and \`llmops eval list\` shows their ids`,
    );
  }
  if (reference === 'latest') return newest.id;
  const earlier = runs.slice(1).find((run) => run.dataset.hash === newest.dataset.hash);
  if (!earlier) {
    throw new LlmopsError(
      'not_found',
      `"previous" names the run before the newest (${newest.id}) on its dataset ${newest.dataset.name}, but the store has no earlier run of that dataset${runs.length === previousSearchDepth ? ` among the ${previousSearchDepth} newest runs` : ''}; give a run id from \`llmops eval list\` instead`,
    );
  }
  return earlier.id;
}

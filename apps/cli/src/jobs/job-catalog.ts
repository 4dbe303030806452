import { z } from 'zod';
import type { JobContext, JobKind, JobResult } from './job-kind.js';

/**
 * The job kinds `llmops run` knows and the schema of a job conf: `{ job: { kind: …, … } }`.
 * Features add kinds by adding them to the list given to {@link createJobCatalog}.
 */
export interface JobCatalog {
  kinds: ReadonlyMap<string, JobKind>;
  /** The schema of a whole (merged) conf. */
  confSchema: z.ZodType<{ job: Job }>;
}

/** A validated job: its kind and settings. */
export type Job = { kind: string } & Record<string, unknown>;

/**
 * Builds the catalog. The built-in `pipeline` kind runs a list of jobs of any kind, in order,
 * stopping at the first failure; its list is validated with the rest of the conf before anything runs.
 */
export function createJobCatalog(kinds: readonly JobKind[]): JobCatalog {
  // The pipeline schema refers to the union of all kinds, itself included.
  // eslint-disable-next-line prefer-const
  let jobSchema: z.ZodType<Job>;
  const pipelineKind: JobKind = {
    kind: 'pipeline',
    description: 'runs a list of jobs in order, stopping at the first failure',
    schema: z.strictObject({
      kind: z.literal('pipeline'),
      name: z.string().optional(),
      jobs: z.array(z.lazy(() => jobSchema)).min(1, 'a pipeline needs at least one job'),
    }),
    run: async (job, context) => runPipeline(job as { name?: string; jobs: Job[] }, context),
  };
  const all = [...kinds, pipelineKind];
  const byKind = new Map(all.map((kind) => [kind.kind, kind]));
  const known = [...byKind.keys()].sort().join(', ');
  jobSchema = z.discriminatedUnion(
    'kind',
    all.map((kind) => kind.schema) as unknown as [z.ZodObject, ...z.ZodObject[]],
    {
      error: (issue) => {
        if (issue.code !== 'invalid_union') return undefined;
        const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
        return kind === undefined
          ? `job has no kind; known kinds: ${known}`
          : `unknown job kind ${JSON.stringify(kind)}; known kinds: ${known}`;
      },
    },
  ) as unknown as z.ZodType<Job>;
  return { kinds: byKind, confSchema: z.strictObject({ job: jobSchema }) };
}

async function runPipeline(job: { name?: string; jobs: Job[] }, context: JobContext): Promise<JobResult> {
  const results: JobResult[] = [];
  context.progress(
    `pipeline${job.name ? ` ${job.name}` : ''}: ${job.jobs.length} job(s): ${job.jobs.map((step) => step.kind).join(' -> ')}`,
  );
  for (const [index, step] of job.jobs.entries()) {
    // On a terminal the step's start is shown too (its own progress follows); in logs, one line per step.
    if (context.io.interactive) context.progress(`[${index + 1}/${job.jobs.length}] ${step.kind}`);
    const started = performance.now();
    const result = await context.runJob(step, [...results]);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    context.progress(`[${index + 1}/${job.jobs.length}] ${step.kind}: ${result.summary} (${seconds} s)`);
    results.push(result);
    // A job that finished without fully succeeding stops the pipeline like a failure, with its exit code.
    if (result.exitCode) {
      return {
        kind: 'pipeline',
        summary: `stopped after job ${index + 1} (${step.kind}) of ${job.jobs.length}: ${result.summary}`,
        data: results,
        exitCode: result.exitCode,
      };
    }
  }
  return { kind: 'pipeline', summary: `${results.length} job(s) done`, data: results };
}

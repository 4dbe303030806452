import type { z } from 'zod';
import type { CommandContext } from '../cli-io.js';

/** The outcome of a job, printed as text or (with --json) as JSON. */
export interface JobResult {
  kind: string;
  summary: string;
  data?: unknown;
  /**
   * The exit code when the job finished without fully succeeding (an inference job with failed
   * lines: 1); the result is still printed. 0 when absent.
   */
  exitCode?: number;
}

/** A kind of job that `llmops run` dispatches on: its conf schema and what it does. */
export interface JobKind<Schema extends z.ZodObject = z.ZodObject> {
  kind: string;
  description: string;
  /** The schema of the job's settings; it has `kind: z.literal(kind)`. */
  schema: Schema;
  run: (job: z.infer<Schema>, context: JobContext) => Promise<JobResult>;
}

/** What a job is given: the CLI context, the conf files it came from, and a way to run nested jobs. */
export interface JobContext extends CommandContext {
  confFiles: readonly string[];
  /**
   * Where a key of the conf comes from (`confs/evaluate.yaml:14`, or `-e job.judge.baseurl=…`), for errors found after
   * the conf is loaded; the nearest known key's (the `job:` line in a pipeline's jobs), else the last conf file.
   */
  originOf?: (path: string) => string;
  /**
   * Runs a job of any known kind (used by `pipeline`), giving it the results of the jobs that ran before it in the
   * same pipeline.
   */
  runJob: (job: { kind: string }, earlier?: readonly JobResult[]) => Promise<JobResult>;
  /** In a pipeline: the results of the jobs before this one, in order (a `summary` job tells their story). */
  earlier?: readonly JobResult[];
  /** Prints a progress line: a diagnostic, on stderr (so that --json output on stdout stays clean). */
  progress: (line: string) => void;
  /**
   * Prints a line of the job's results (gate tables, comparisons, answers, monitoring reports): on stdout, where
   * results go, or on stderr with --json, where stdout holds the JSON result only.
   */
  report: (line: string) => void;
}

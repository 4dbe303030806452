import { existsSync, statSync } from 'node:fs';
import { confinedPath, LlmopsError } from '@llmops/kernel';
import { exampleQuestion, loadDatasetFile } from '@llmops/evaluation';
import { parseSinceDuration, sinceDurationPattern } from '@llmops/monitoring';
import type { DriftReference } from '@llmops/monitoring';

/** Options of {@link resolveDriftReference}. */
export interface DriftReferenceOptions {
  /** The workspace dataset files are read from. */
  cwd: string;
  /** How the value is named in errors (`--reference`, `job.drift.reference`, `reference`). */
  what?: string;
  /** Refuse a dataset file outside the workspace and `dataRoots` (symbolic links followed). */
  confine?: boolean;
  /** Further folders the dataset may be in (`LLMOPS_DATA_ROOTS`); absolute paths. */
  dataRoots?: readonly string[];
}

/**
 * What `--reference` names: a duration (`24h`, the window of traffic just before the current one) or an evaluation
 * dataset file (`.jsonl`, `.csv`, `.yaml`, `.json`, relative to the workspace) whose questions are the reference.
 * @throws LlmopsError `invalid_input` naming the value when it is neither, or naming the file's line and field;
 * `forbidden` for a file outside the workspace when `confine` is set.
 */
export function resolveDriftReference(text: string, options: DriftReferenceOptions): DriftReference {
  const what = options.what ?? '--reference';
  if (sinceDurationPattern.test(text.trim())) return { kind: 'window', windowMs: parseSinceDuration(text, what) };
  const path = confinedPath({
    root: options.cwd,
    file: text,
    what: `${what} dataset`,
    confine: options.confine ?? false,
    ...(options.dataRoots ? { dataRoots: options.dataRoots } : {}),
  });
  if (!existsSync(path) || !statSync(path).isFile())
    throw new LlmopsError(
      'invalid_input',
      `${what} "${text}" is neither a duration (a whole number and s, m, h, d or w, such as 24h) nor an existing dataset file`,
    );
  const dataset = loadDatasetFile(path, { source: text });
  return { kind: 'inputs', source: text, inputs: dataset.examples.map((example) => exampleQuestion(example)) };
}

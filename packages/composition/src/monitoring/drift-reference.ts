import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import { exampleQuestion, loadDatasetFile } from '@llmops/evaluation';
import { parseSinceDuration, sinceDurationPattern } from '@llmops/monitoring';
import type { DriftReference } from '@llmops/monitoring';

/**
 * What `--reference` names: a duration (`24h`, the window of traffic just before the current one) or an evaluation
 * dataset file (`.jsonl`, `.csv`, `.yaml`, `.json`) whose questions are the reference.
 * @param what how the value is named in errors (`--reference`, `job.drift.reference`).
 * @throws LlmopsError `invalid_input` naming the value when it is neither, or naming the file's line and field.
 */
export function resolveDriftReference(text: string, options: { cwd: string; what?: string }): DriftReference {
  const what = options.what ?? '--reference';
  if (sinceDurationPattern.test(text.trim())) return { kind: 'window', windowMs: parseSinceDuration(text, what) };
  const path = resolve(options.cwd, text);
  if (!existsSync(path))
    throw new LlmopsError(
      'invalid_input',
      `${what} "${text}" is neither a duration (a whole number and s, m, h, d or w, such as 24h) nor an existing dataset file`,
    );
  const dataset = loadDatasetFile(path, { source: text });
  return { kind: 'inputs', source: text, inputs: dataset.examples.map((example) => exampleQuestion(example)) };
}

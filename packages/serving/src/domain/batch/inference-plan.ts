import { LlmopsError } from '@llmops/kernel';
import type { InferenceInputLine } from './inference-input-line.js';
import type { InferenceRecord } from './inference-record.js';

/** What a run has to do, given the input and the records of earlier runs. */
export interface InferencePlan {
  /** Lines to answer now, in input order. */
  pending: InferenceInputLine[];
  /** Lines already answered (successfully, or failed when failures are not retried). */
  skipped: number;
  /** Of the skipped lines, those whose record is a failure. */
  skippedFailed: number;
}

/**
 * Decides which lines to answer: a line with a record of the same id is skipped when the record
 * is an answer, or a failure and `retryFailed` is false; every other line is pending. A record
 * whose id matches but whose input hash does not answers an edited line: that is refused rather
 * than reused (or answered a second time beside the stale answer).
 * @throws LlmopsError `invalid_input` naming the id, the input line and both files.
 */
export function planInference(options: {
  lines: readonly InferenceInputLine[];
  records: ReadonlyMap<string, InferenceRecord>;
  retryFailed: boolean;
  files: { input: string; output: string };
}): InferencePlan {
  const pending: InferenceInputLine[] = [];
  let skipped = 0;
  let skippedFailed = 0;
  for (const line of options.lines) {
    const record = options.records.get(line.id);
    if (record && record.input_sha256 !== line.inputSha256) {
      throw new LlmopsError(
        'invalid_input',
        `${options.files.input} line ${line.line}: id "${line.id}" was answered in ${options.files.output} (line ${record.line}) for a different text; expected the same text for an id, a new id, or another output file`,
      );
    }
    if (!record || (record.error && options.retryFailed)) {
      pending.push(line);
      continue;
    }
    skipped += 1;
    if (record.error) skippedFailed += 1;
  }
  return { pending, skipped, skippedFailed };
}

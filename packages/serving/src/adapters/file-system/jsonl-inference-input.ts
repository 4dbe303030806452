import { existsSync, readFileSync } from 'node:fs';
import { LlmopsError } from '@llmops/kernel';
import { parseInferenceInput } from '../../domain/batch/inference-input-line.js';
import type { InferenceInputLine } from '../../domain/batch/inference-input-line.js';

/**
 * Reads an inference input file (JSONL): see {@link parseInferenceInput} for what a line may hold and what is refused.
 * @param path the file, already confined to the workspace by the caller.
 * @param file its name as messages show it (the path the job's conf gave).
 * @throws LlmopsError `invalid_input` naming the file (and the lines) and what is expected.
 */
export function readInferenceInput(path: string, file: string): InferenceInputLine[] {
  if (!existsSync(path)) throw new LlmopsError('invalid_input', `input ${file} not found; expected a JSONL file`);
  return parseInferenceInput(readFileSync(path, 'utf8'), file);
}

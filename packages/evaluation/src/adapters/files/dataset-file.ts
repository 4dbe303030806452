import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LlmopsError, loadConfig } from '@llmops/kernel';
import { parseDataset } from '../../domain/dataset.js';
import type { Dataset } from '../../domain/dataset.js';
import { gateFileSchema } from '../../domain/gates.js';
import type { GateCriterion } from '../../domain/gates.js';
import { RecordedOutputsTarget } from '../targets/recorded-outputs-target.js';

function readText(path: string, what: string, shown = path): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    throw new LlmopsError('invalid_input', `${what} ${shown} ${reason}`, { cause });
  }
}

/**
 * Reads and validates a dataset file (`.jsonl`, `.csv`, `.yaml`, `.yml`, `.json`).
 * `source` (the path as the user wrote it, by default `path`) is what errors and runs show.
 * @throws LlmopsError `invalid_input` for a missing file, an unknown format, or an invalid example
 * (naming file, line and field).
 */
export function loadDatasetFile(path: string, options: { name?: string; source?: string } = {}): Dataset {
  const source = options.source ?? path;
  return parseDataset(readText(path, 'dataset file', source), {
    source,
    ...(options.name ? { name: options.name } : {}),
  });
}

/**
 * Reads a gate file (`gates:` a list of criteria such as `faithfulness.mean >= 0.9`); a relative
 * path is read from `cwd` (the process's by default) and shown as written in errors.
 * @throws LlmopsError `invalid_input` naming the file, the line and the criterion that is wrong.
 */
export function loadGateFile(
  path: string,
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): GateCriterion[] {
  const cwd = options.cwd ?? process.cwd();
  return loadConfig({
    files: [path],
    schema: gateFileSchema,
    readFile: (file) => readFileSync(resolve(cwd, file), 'utf8'),
    ...(options.env ? { env: options.env } : {}),
  }).gates;
}

/**
 * Reads a recorded-outputs file (JSONL: `{id, output, retrieval_context?, latency_ms?, usage?, cost_usd?, model?}`).
 * @throws LlmopsError `invalid_input` naming file, line and field.
 */
export function loadRecordedOutputsFile(path: string, options: { cwd?: string } = {}): RecordedOutputsTarget {
  return RecordedOutputsTarget.parse(
    readText(resolve(options.cwd ?? process.cwd(), path), 'recorded outputs file', path),
    path,
  );
}

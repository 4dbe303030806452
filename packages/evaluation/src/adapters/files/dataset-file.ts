import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LlmopsError, loadConfig } from '@llmops/kernel';
import { parseDataset } from '../../domain/dataset.js';
import type { Dataset } from '../../domain/dataset.js';
import { gateFileSchema } from '../../domain/gates.js';
import type { GateCriterion } from '../../domain/gates.js';
import { RecordedOutputsTarget } from '../targets/recorded-outputs-target.js';

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] as number;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0;
    if (length === 0) return index;
    for (let next = 1; next < length; next++) {
      const byte = bytes[index + next];
      if (byte === undefined || (byte & 0xc0) !== 0x80) return index;
    }
    index += length;
  }
  return -1;
}

/**
 * The text of a file that must be UTF-8. A leading byte order mark (Excel and Notepad write one) is dropped,
 * so it never becomes part of the first field; a byte that is not UTF-8 (a file saved as Latin-1 or
 * Windows-1252) is an error naming the line and the byte, instead of a replacement character in the data.
 */
function decodeUtf8(bytes: Uint8Array, shown: string, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    const offset = Math.max(0, firstInvalidUtf8Byte(bytes));
    const line = bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new LlmopsError(
      'invalid_input',
      `${shown}:${line}: byte 0x${byte} (at byte ${offset} of the file) is not UTF-8; expected the ${what} as UTF-8 text (save it as UTF-8, for example with iconv -f WINDOWS-1252 -t UTF-8)`,
      { cause },
    );
  }
}

function readText(path: string, what: string, shown = path): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    throw new LlmopsError('invalid_input', `${what} ${shown} ${reason}`, { cause });
  }
  return decodeUtf8(bytes, shown, what);
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

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, truncateSync, writeSync } from 'node:fs';
import { formatInferenceRecord, parseInferenceRecord } from '../../domain/batch/inference-record.js';
import type { InferenceRecord } from '../../domain/batch/inference-record.js';
import type { InferenceRecordSink } from '../../application/batch/batch-inference.js';

/** What an existing output file holds, read on start. */
export interface ExistingOutput {
  /** The last record of each id (a retried line's new record replaces its failed one). */
  records: Map<string, InferenceRecord>;
  /** True when the file ended in a partial line (a crash mid-write), which was cut off. */
  truncatedLastLine: boolean;
}

/**
 * Reads the records of an output file left by an earlier run. A last line without its newline was
 * being written when the process died: it is cut off the file, so appending starts on a clean line.
 * @throws LlmopsError `invalid_input` naming the file and line of a complete line that is not a record.
 */
export function readExistingOutput(path: string, file: string): ExistingOutput {
  const records = new Map<string, InferenceRecord>();
  if (!existsSync(path)) return { records, truncatedLastLine: false };
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const truncatedLastLine = end < text.length;
  if (truncatedLastLine) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
  text
    .slice(0, end)
    .split('\n')
    .forEach((raw, index) => {
      if (raw.trim() === '') return;
      const record = parseInferenceRecord(raw, `output ${file} line ${index + 1}`);
      records.set(record.id, record);
    });
  return { records, truncatedLastLine };
}

/** Writes all of `text` (a single `write` may write less than asked). */
function writeWhole(descriptor: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  while (written < bytes.length) written += writeSync(descriptor, bytes, written);
}

/**
 * Appends records to an output file, each as one whole line written by one call and flushed to
 * disk (`fsync`) before the next, so a record acknowledged is a record that survives a crash.
 */
export class JsonlInferenceOutput implements InferenceRecordSink {
  private readonly descriptor: number;

  constructor(path: string) {
    this.descriptor = openSync(path, 'a');
  }

  append(record: InferenceRecord): void {
    writeWhole(this.descriptor, formatInferenceRecord(record));
    fsyncSync(this.descriptor);
  }

  close(): void {
    closeSync(this.descriptor);
  }
}

/**
 * Rewrites the output with one record per input line, in input order (a retried line's failed
 * record gone): written to a temporary file, flushed, then renamed over the output in one step.
 * Records of ids no longer in the input are kept after the others.
 */
export function compactOutput(
  path: string,
  options: { order: readonly string[]; records: ReadonlyMap<string, InferenceRecord> },
): void {
  const ordered = options.order.flatMap((id) => {
    const record = options.records.get(id);
    return record ? [record] : [];
  });
  const known = new Set(options.order);
  const orphans = [...options.records.values()].filter((record) => !known.has(record.id));
  const temporary = `${path}.compacting`;
  const descriptor = openSync(temporary, 'w');
  try {
    writeWhole(descriptor, [...ordered, ...orphans].map(formatInferenceRecord).join(''));
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, path);
}

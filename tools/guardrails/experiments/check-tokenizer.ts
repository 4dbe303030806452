/**
 * Checks serving's `SentencePieceTokenizer` against the Python `sentencepiece` library, piece id for piece id, on the
 * texts `static-distil.py tokenizer` exported (exit 1 on any difference):
 *
 *   npx tsx tools/guardrails/experiments/check-tokenizer.ts <folder with vocabulary.json and expected.json>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SentencePieceTokenizer } from '@llmops/serving';

const [folder] = process.argv.slice(2) as [string];
const vocabulary = JSON.parse(readFileSync(join(folder, 'vocabulary.json'), 'utf8')) as {
  pieces: string[];
  scores: number[];
  charsmap: number[];
  controlIds: number[];
};
const expected = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as { text: string; ids: number[] }[];
const tokenizer = new SentencePieceTokenizer({
  pieces: vocabulary.pieces,
  scores: Float32Array.from(vocabulary.scores),
  charsmap: Uint8Array.from(vocabulary.charsmap),
  controlIds: vocabulary.controlIds,
});
const started = process.cpuUsage();
const different = expected.filter(({ text, ids }) => tokenizer.encode(text).join(' ') !== ids.join(' '));
const cpu = process.cpuUsage(started);
for (const { text } of different.slice(0, 5)) console.log(`different: ${JSON.stringify(text)}`);
console.log(
  `${expected.length - different.length} of ${expected.length} texts tokenised as sentencepiece does, ` +
    `${((cpu.user + cpu.system) / 1000 / expected.length).toFixed(3)} ms of CPU per text`,
);
process.exitCode = different.length === 0 ? 0 : 1;

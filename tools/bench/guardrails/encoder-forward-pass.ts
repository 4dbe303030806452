/**
 * The sentence encoder's forward pass alone (no head), CPU per text, on short texts and on passages:
 *
 *   npx tsx --conditions=@llmops/source tools/bench/guardrails/encoder-forward-pass.ts <encoder weights> \
 *     [--rounds 2] [--compare <module exporting another SentenceEncoder>]
 *
 * Texts: the project's own benign questions (support-qa, manual-qa, customer-questions) and the 20 edge support
 * questions; and the paragraphs of 40–120 words of `wiki/Architecture.md` and `wiki/Serving.md` (passage length).
 * Each round appends the round number. With `--compare`, the other implementation (say, the file of an earlier
 * commit saved outside the tree) is loaded over the same weights and the two alternate text by text, which goes first
 * alternating, so both see the same load; the largest difference of their vectors (1 − cosine) is printed. CPU time is
 * `process.cpuUsage()` of this process (user + system), so other processes weigh less than on wall time; report
 * `uptime` with the numbers.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cosineSimilarity } from '@llmops/providers';
import { SentenceEncoder } from '@llmops/serving';
import { benignQuestions } from './benign-questions.js';
import { option } from '../command-line.js';

const weights = process.argv[2];
if (!weights || weights.startsWith('--')) {
  console.error('usage: encoder-forward-pass.ts <encoder weights> [--rounds N] [--compare MODULE]');
  process.exit(2);
}
const rounds = Number(option('rounds') ?? 2);
const comparePath = option('compare');

interface Encoder {
  encode(text: string): Float32Array;
  pieceIds(text: string): number[];
}

function paragraphsOf(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => !/^[|#`-]/.test(paragraph))
    .filter((paragraph) => {
      const words = paragraph.split(' ').length;
      return words >= 40 && words <= 120;
    });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function cpuMs(run: () => void): number {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

const root = process.cwd();
const sets = {
  questions: benignQuestions(root),
  passages: [...paragraphsOf(join(root, 'wiki/Architecture.md')), ...paragraphsOf(join(root, 'wiki/Serving.md'))],
};

const bytes = readFileSync(weights);
const encoders: [string, Encoder][] = [['this tree', new SentenceEncoder(bytes, weights)]];
if (comparePath) {
  const module = (await import(pathToFileURL(resolve(comparePath)).href)) as {
    SentenceEncoder: new (bytes: Uint8Array, name: string) => Encoder;
  };
  encoders.push([comparePath, new module.SentenceEncoder(bytes, weights)]);
}
for (const [, encoder] of encoders) encoder.encode('warm up the encoder');

console.log(
  `load average at start: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
for (const [setName, texts] of Object.entries(sets)) {
  const cpu = encoders.map(() => [] as number[]);
  let pieces = 0;
  let worstDistance = 0;
  for (let round = 0; round < rounds; round += 1) {
    texts.forEach((base, index) => {
      const text = `${base} ${round}`;
      if (round === 0) pieces += (encoders[0]?.[1].pieceIds(text).length ?? 0) / texts.length;
      const vectors: Float32Array[] = [];
      const order = encoders.map((_, position) => position);
      if ((round + index) % 2 === 1) order.reverse();
      for (const position of order) {
        const encoder = (encoders[position] as [string, Encoder])[1];
        (cpu[position] as number[]).push(cpuMs(() => (vectors[position] = encoder.encode(text))));
      }
      if (vectors.length === 2)
        worstDistance = Math.max(
          worstDistance,
          1 - cosineSimilarity(vectors[0] as Float32Array, vectors[1] as Float32Array),
        );
    });
  }
  console.log(`${setName}: ${texts.length} texts × ${rounds} rounds, ${pieces.toFixed(1)} pieces per text on average`);
  encoders.forEach(([name], position) => {
    const values = cpu[position] as number[];
    console.log(
      `  ${name}: CPU ms per text p50 / p95 ${percentile(values, 50).toFixed(2)} / ${percentile(values, 95).toFixed(2)}`,
    );
  });
  if (encoders.length === 2) console.log(`  largest 1 − cosine between the two: ${worstDistance.toExponential(2)}`);
}
console.log(
  `load average at end: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);

/**
 * Writes the TypeScript MiniLM encoder's vectors of a JSON list of texts, to compare with the numpy pass of
 * `write-minilm.py embed` (`write-minilm.py compare`); a check run by hand on the real weights, outside CI:
 *
 *   npx tsx --conditions=@llmops/source tools/retrieval/minilm/embed-minilm.ts \
 *     --weights packages/serving/models/minilm-l6-int8.bin --texts <texts.json> --out <vectors.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { MiniLmEncoder } from '@llmops/serving';
import { option } from '../../bench/command-line.js';

const [weights, texts, out] = [option('weights'), option('texts'), option('out')];
if (!weights || !texts || !out) {
  console.error('usage: embed-minilm.ts --weights FILE --texts TEXTS.json --out VECTORS.json');
  process.exit(2);
}
const encoder = new MiniLmEncoder(readFileSync(weights), weights);
const vectors = (JSON.parse(readFileSync(texts, 'utf8')) as string[]).map((text) => Array.from(encoder.encode(text)));
writeFileSync(out, JSON.stringify(vectors));
console.log(`${out}: ${vectors.length} vectors`);

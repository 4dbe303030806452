/**
 * WordLlama (PyPI `wordllama`, MIT, Lee Miller) in TypeScript, for measuring only: a static token-embedding
 * model trained contrastively for similarity. Facts taken from the package's `inference.py` (version 0.4.0):
 * - texts are tokenised with the Llama-2 tokenizer of `l2_supercat_tokenizer_config.json` without special
 *   tokens and without truncation;
 * - a text's vector is the plain mean of its tokens' rows of `embedding.weight` (32,000 x 256, F16 in
 *   `l2_supercat_256.safetensors`); no projection, no binarisation (that is an option, off by default);
 * - similarity is the cosine of two such vectors.
 *
 * The tokenizer is the JSON's BPE: normaliser `Prepend("▁")` then `Replace(" ", "▁")` on each piece of text
 * between special tokens, no pre-tokeniser, merges applied lowest rank first (leftmost on ties), characters
 * outside the vocabulary falling back to their UTF-8 bytes `<0xNN>`. No vocabulary entry holds a "▁" after
 * another character, so no merge crosses the start of a "▁"-run and each such run with the characters after
 * it can be encoded on its own (and cached).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallOptions, Embedder, EmbeddingResult } from '@llmops/kernel';

interface TokenizerJson {
  added_tokens: Array<{ id: number; content: string; special: boolean }>;
  normalizer: unknown;
  pre_tokenizer: unknown;
  model: { type: string; vocab: Record<string, number>; merges: string[]; byte_fallback: boolean; unk_token: string };
}

/** Converts IEEE 754 half-precision floats to 32-bit floats. */
function halfToFloat(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Reads one F16 or F32 tensor of a safetensors file: 8-byte little-endian header length, JSON header, raw data. */
export function readSafetensor(file: string, key: string): { shape: number[]; data: Float32Array } {
  const bytes = readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const tensor = header[key];
  if (!tensor) throw new Error(`${file}: no tensor "${key}" (has ${Object.keys(header).join(', ')})`);
  const start = 8 + headerLength + tensor.data_offsets[0];
  const count = tensor.shape.reduce((product, size) => product * size, 1);
  const data = new Float32Array(count);
  if (tensor.dtype === 'F16') {
    const table = new Float32Array(65_536);
    for (let half = 0; half < 65_536; half += 1) table[half] = halfToFloat(half);
    for (let index = 0; index < count; index += 1) data[index] = table[bytes.readUInt16LE(start + 2 * index)] as number;
  } else if (tensor.dtype === 'F32') {
    for (let index = 0; index < count; index += 1) data[index] = bytes.readFloatLE(start + 4 * index);
  } else {
    throw new Error(`${file}: tensor "${key}" is ${tensor.dtype}; expected F16 or F32`);
  }
  return { shape: tensor.shape, data };
}

/** The Llama-2 BPE tokenizer of a Hugging Face tokenizers JSON (the configuration WordLlama ships). */
export class LlamaBpeTokenizer {
  private readonly vocab: Map<string, number>;
  private readonly ranks = new Map<string, number>();
  private readonly special: Map<string, number>;
  private readonly specialPattern: RegExp | undefined;
  private readonly cache = new Map<string, number[]>();
  private readonly unknown: number;

  constructor(json: TokenizerJson) {
    const normalizer = JSON.stringify(json.normalizer);
    const expected = JSON.stringify({
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    });
    if (
      json.model.type !== 'BPE' ||
      json.pre_tokenizer !== null ||
      normalizer !== expected ||
      !json.model.byte_fallback
    )
      throw new Error(
        'tokenizer: expected a BPE model with byte fallback, the Llama-2 normaliser and no pre-tokenizer',
      );
    this.vocab = new Map(Object.entries(json.model.vocab));
    json.model.merges.forEach((merge, rank) => this.ranks.set(merge, rank));
    this.unknown = this.vocab.get(json.model.unk_token) ?? 0;
    this.special = new Map(
      json.added_tokens.filter((token) => token.special).map((token) => [token.content, token.id]),
    );
    const escaped = [...this.special.keys()].map((content) => content.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.specialPattern = escaped.length > 0 ? new RegExp(`(${escaped.join('|')})`) : undefined;
  }

  /** Reads the tokenizer JSON file. */
  static fromFile(file: string): LlamaBpeTokenizer {
    return new LlamaBpeTokenizer(JSON.parse(readFileSync(file, 'utf8')) as TokenizerJson);
  }

  /** The token ids of a text, as `tokenizer.encode(text, add_special_tokens=False).ids`. */
  encode(text: string): number[] {
    const ids: number[] = [];
    const pieces = this.specialPattern ? text.split(this.specialPattern) : [text];
    for (const piece of pieces) {
      if (piece === '') continue;
      const special = this.special.get(piece);
      if (special !== undefined) {
        ids.push(special);
        continue;
      }
      const normalized = `▁${piece.replaceAll(' ', '▁')}`;
      for (const word of normalized.match(/▁*[^▁]*/g) ?? []) if (word !== '') ids.push(...this.encodeWord(word));
    }
    return ids;
  }

  private encodeWord(word: string): number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const symbols: string[] = [];
    for (const character of word) {
      if (this.vocab.has(character)) symbols.push(character);
      else
        for (const byte of Buffer.from(character, 'utf8'))
          symbols.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    }
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let index = 0; index + 1 < symbols.length; index += 1) {
        const rank = this.ranks.get(`${symbols[index]} ${symbols[index + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = index;
        }
      }
      if (best < 0) break;
      symbols.splice(best, 2, `${symbols[best]}${symbols[best + 1]}`);
    }
    const ids = symbols.map((symbol) => this.vocab.get(symbol) ?? this.unknown);
    if (this.cache.size < 200_000) this.cache.set(word, ids);
    return ids;
  }
}

/** Where the files of the `wordllama` wheel sit inside its `wordllama/` folder. */
export const wordLlamaFiles = {
  weights: 'weights/l2_supercat_256.safetensors',
  tokenizer: 'tokenizers/l2_supercat_tokenizer_config.json',
} as const;

/** WordLlama's `l2_supercat` model (256 dimensions): mean of token embeddings, L2-normalised. */
export class WordLlamaEmbedder implements Embedder {
  readonly provider = 'offline';
  readonly modelId = 'wordllama';
  readonly dimensions: number;
  private readonly table: Float32Array;
  private readonly rows: number;

  constructor(
    private readonly tokenizer: LlamaBpeTokenizer,
    weights: { shape: number[]; data: Float32Array },
  ) {
    const [rows, dimensions] = weights.shape as [number, number];
    this.rows = rows;
    this.dimensions = dimensions;
    this.table = weights.data;
  }

  /** Loads the model from the `wordllama/` folder of the unpacked wheel. */
  static load(folder: string): WordLlamaEmbedder {
    return new WordLlamaEmbedder(
      LlamaBpeTokenizer.fromFile(join(folder, wordLlamaFiles.tokenizer)),
      readSafetensor(join(folder, wordLlamaFiles.weights), 'embedding.weight'),
    );
  }

  /** The token ids of a text. */
  tokenize(text: string): number[] {
    return this.tokenizer.encode(text);
  }

  /** The unnormalised mean of the text's token embeddings (WordLlama's `embed(text)`); zeros for no tokens. */
  meanVector(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const ids = this.tokenizer.encode(text);
    for (const raw of ids) {
      const id = Math.min(Math.max(raw, 0), this.rows - 1);
      const offset = id * this.dimensions;
      for (let dimension = 0; dimension < this.dimensions; dimension += 1)
        vector[dimension] = (vector[dimension] as number) + (this.table[offset + dimension] as number);
    }
    const count = Math.max(ids.length, 1);
    for (let dimension = 0; dimension < this.dimensions; dimension += 1)
      vector[dimension] = (vector[dimension] as number) / count;
    return vector;
  }

  /** The L2-normalised vector of a text, so the cosine of two is their dot product. */
  vector(text: string): Float32Array {
    const vector = this.meanVector(text);
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm);
    if (norm > 0)
      for (let dimension = 0; dimension < vector.length; dimension += 1)
        vector[dimension] = (vector[dimension] as number) / norm;
    return vector;
  }

  /** Embeds each text (the `Embedder` port); usage counts the Llama-2 tokens. */
  async embed(texts: readonly string[], options: CallOptions = {}): Promise<EmbeddingResult> {
    if (options.signal?.aborted) throw new Error('offline/wordllama: embedding was aborted');
    let tokens = 0;
    const embeddings = texts.map((text) => {
      tokens += this.tokenizer.encode(text).length;
      return Array.from(this.vector(text));
    });
    return { embeddings, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  }
}

/** The dot product of two vectors of the same length. */
export function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += (left[index] as number) * (right[index] as number);
  return sum;
}

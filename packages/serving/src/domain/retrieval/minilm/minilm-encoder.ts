import { LlmopsError } from '@llmops/kernel';
import { int8Dense } from '../../tensors/int8-dense.js';
import { layerNorm, type Norm } from '../../tensors/layer-norm.js';
import { MatrixProducts, type Dense } from '../../tensors/matrix-products.js';
import { TensorFile } from '../../tensors/tensor-file.js';
import { WordPieceTokenizer } from './wordpiece-tokenizer.js';

/** One transformer layer's weights. */
interface Layer {
  /** Query, key and value side by side: `hidden → 3 × hidden`. */
  qkv: Dense;
  attentionOut: Dense;
  attentionNorm: Norm;
  up: Dense;
  down: Dense;
  outputNorm: Norm;
}

/** `erf(x)`, Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, under float32's rounding of GELU's inputs). */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/** GELU in its exact (erf) form, as BERT's `gelu`, in place. */
function gelu(values: Float32Array): void {
  for (let index = 0; index < values.length; index += 1) {
    const x = values[index] as number;
    values[index] = 0.5 * x * (1 + erf(x / Math.SQRT2));
  }
}

/**
 * all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), int8 by us (`tools/retrieval/minilm/write-minilm.py`): BERT
 * uncased WordPiece ids → word + position + token-type embeddings and a layer norm → 6 transformer layers (12 heads
 * of self-attention, a GELU feed-forward of 1536, residuals and layer norms) → the mean over the text's tokens → a
 * 384-d unit vector. One text at a time, so every token is real and the attention mask is all ones. TypeScript over
 * typed arrays; the dense layers' products in the project's WebAssembly SIMD function ({@link MatrixProducts}). The
 * sizes (layers, heads, hidden, vocabulary) are read from the file, so a small fixture model runs through the same
 * code.
 */
export class MiniLmEncoder {
  /** The tokenizer of the file's vocabulary. */
  readonly tokenizer: WordPieceTokenizer;
  private readonly name: string;
  private readonly hidden: number;
  private readonly heads: number;
  private readonly maxTokens: number;
  private readonly word: Int8Array;
  private readonly wordScales: Float32Array;
  private readonly position: Float32Array;
  private readonly tokenType: Float32Array;
  private readonly embeddingNorm: Norm;
  private readonly layers: Layer[];
  private readonly products: MatrixProducts;

  /**
   * @param bytes the tensor file written by `write-minilm.py write` (or `fixture`)
   * @param name where the bytes came from, for errors
   * @throws LlmopsError `invalid_input` when the file lacks an array or has the wrong shape
   */
  constructor(bytes: Uint8Array, name: string) {
    const file = new TensorFile(bytes, name);
    this.name = name;
    const eps = Number(file.settings['eps']);
    this.heads = Number(file.settings['heads']);
    this.maxTokens = Number(file.settings['maxTokens']);
    const vocabulary = new TextDecoder().decode(file.tensor('vocab', 'uint8').values).split('\0');
    this.tokenizer = new WordPieceTokenizer(vocabulary, this.maxTokens);
    const word = file.tensor('word', 'int8');
    [, this.hidden] = word.shape as [number, number];
    if (word.shape[0] !== vocabulary.length || this.hidden % this.heads !== 0)
      throw new LlmopsError(
        'invalid_input',
        `${name}: expected a word table of ${vocabulary.length} rows and a width divisible by ${this.heads} heads, found ${word.shape.join(' × ')}`,
      );
    this.word = word.values;
    this.wordScales = file.tensor('word.scale', 'float32').values;
    const vector = (tensorName: string) => file.tensor(tensorName, 'float32').values;
    const norm = (prefix: string): Norm => ({ gain: vector(`${prefix}.gain`), shift: vector(`${prefix}.shift`), eps });
    this.position = vector('position');
    this.tokenType = vector('type');
    this.embeddingNorm = norm('embedding_norm');
    this.layers = Array.from({ length: Number(file.settings['layers']) }, (_, index) => {
      const prefix = `layer${index}.`;
      const dense = (tensorName: string) => int8Dense(file, prefix + tensorName, `${prefix}${tensorName}.bias`);
      return {
        qkv: dense('qkv'),
        attentionOut: dense('attention_out'),
        attentionNorm: norm(`${prefix}attention_norm`),
        up: dense('up'),
        down: dense('down'),
        outputNorm: norm(`${prefix}output_norm`),
      };
    });
    this.products = new MatrixProducts(
      this.layers.flatMap(({ qkv, attentionOut, up, down }) => [qkv, attentionOut, up, down]),
    );
  }

  /** A text's unit vector (384 floats for all-MiniLM-L6-v2). */
  encode(text: string): Float32Array {
    return this.encodeIds(this.tokenizer.encode(text));
  }

  /**
   * The unit vector of a sequence of piece ids (as the tokenizer gives them, `[CLS]` and `[SEP]` included).
   * @throws LlmopsError `invalid_input` when there are no ids, more than the file's positions, or an id past the vocabulary
   */
  encodeIds(ids: readonly number[]): Float32Array {
    const count = ids.length;
    const hidden = this.hidden;
    if (count === 0 || count > this.maxTokens)
      throw new LlmopsError('invalid_input', `${this.name}: expected 1 to ${this.maxTokens} ids, found ${count}`);
    let x: Float32Array = new Float32Array(count * hidden);
    ids.forEach((id, position) => {
      if (!(id >= 0 && id < this.wordScales.length))
        throw new LlmopsError('invalid_input', `${this.name}: piece id ${id} is outside the vocabulary`);
      const scale = this.wordScales[id] as number;
      const row = x.subarray(position * hidden, (position + 1) * hidden);
      for (let index = 0; index < hidden; index += 1)
        row[index] =
          (this.word[id * hidden + index] as number) * scale +
          (this.position[position * hidden + index] as number) +
          (this.tokenType[index] as number);
      layerNorm(row, this.embeddingNorm);
    });
    for (const layer of this.layers) x = this.layer(x, count, layer);
    const pooled = new Float32Array(hidden);
    for (let position = 0; position < count; position += 1)
      for (let index = 0; index < hidden; index += 1)
        pooled[index] = (pooled[index] as number) + (x[position * hidden + index] as number) / count;
    let norm = 0;
    for (const value of pooled) norm += value * value;
    const scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let index = 0; index < hidden; index += 1) pooled[index] = (pooled[index] as number) * scale;
    return pooled;
  }

  /** One transformer layer over all tokens: self-attention, residual and norm; feed-forward, residual and norm. */
  private layer(x: Float32Array, count: number, layer: Layer): Float32Array {
    const hidden = this.hidden;
    const qkv = this.multiply(x, count, layer.qkv);
    const context = this.attend(qkv, count);
    const attended = this.multiply(context, count, layer.attentionOut);
    for (let index = 0; index < attended.length; index += 1)
      attended[index] = (attended[index] as number) + (x[index] as number);
    for (let position = 0; position < count; position += 1)
      layerNorm(attended.subarray(position * hidden, (position + 1) * hidden), layer.attentionNorm);
    const inner = this.multiply(attended, count, layer.up);
    gelu(inner);
    const out = this.multiply(inner, count, layer.down);
    for (let index = 0; index < out.length; index += 1)
      out[index] = (out[index] as number) + (attended[index] as number);
    for (let position = 0; position < count; position += 1)
      layerNorm(out.subarray(position * hidden, (position + 1) * hidden), layer.outputNorm);
    return out;
  }

  /**
   * Each head's `softmax(q · kᵀ / √size) · v` for every token, heads side by side: `count × hidden`. Both products go
   * through the SIMD function with the head's keys, then its values, as a layer made for this text: the keys padded
   * to an even count, the attention weights' rows and the values to a multiple of 4 tokens, with zeros.
   */
  private attend(qkv: Float32Array, count: number): Float32Array {
    const hidden = this.hidden;
    const size = hidden / this.heads;
    const stride = 3 * hidden;
    const scale = 1 / Math.sqrt(size);
    const keyCount = count + (count % 2);
    const valueCount = Math.ceil(count / 4) * 4;
    const context = new Float32Array(count * hidden);
    const scores = new Float32Array(count * keyCount);
    const weights = new Float32Array(count * valueCount);
    const keys = new Float32Array(keyCount * size);
    const values = new Float32Array(size * valueCount);
    for (let head = 0; head < this.heads; head += 1) {
      for (let token = 0; token < count; token += 1) {
        const from = token * stride + head * size;
        keys.set(qkv.subarray(from + hidden, from + hidden + size), token * size);
        for (let index = 0; index < size; index += 1)
          values[index * valueCount + token] = qkv[from + 2 * hidden + index] as number;
      }
      this.products.multiplyOnce({
        x: { values: qkv, offset: head * size, stride },
        count,
        layer: { inputs: size, outputs: keyCount, weights: keys },
        out: { values: scores, offset: 0, stride: keyCount },
      });
      for (let query = 0; query < count; query += 1) {
        const row = query * keyCount;
        let largest = -Infinity;
        for (let key = 0; key < count; key += 1) largest = Math.max(largest, (scores[row + key] as number) * scale);
        let total = 0;
        const weightRow = query * valueCount;
        for (let key = 0; key < count; key += 1) {
          const weight = Math.exp((scores[row + key] as number) * scale - largest);
          weights[weightRow + key] = weight;
          total += weight;
        }
        for (let key = 0; key < count; key += 1)
          weights[weightRow + key] = (weights[weightRow + key] as number) / total;
      }
      this.products.multiplyOnce({
        x: { values: weights, offset: 0, stride: valueCount },
        count,
        layer: { inputs: valueCount, outputs: size, weights: values },
        out: { values: context, offset: head * size, stride: hidden },
      });
    }
    return context;
  }

  /** `count` rows of `x` times a dense layer, plus its bias. */
  private multiply(x: Float32Array, count: number, layer: Dense): Float32Array {
    const out = new Float32Array(count * layer.outputs);
    this.products.multiply({
      x: { values: x, offset: 0, stride: layer.inputs },
      count,
      layer,
      out: { values: out, offset: 0, stride: layer.outputs },
    });
    return out;
  }
}

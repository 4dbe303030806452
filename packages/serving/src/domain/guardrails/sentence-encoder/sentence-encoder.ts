import { LlmopsError } from '@llmops/kernel';
import { SentencePieceTokenizer } from './sentence-piece-tokenizer.js';
import { MatrixProducts, type Dense, type Rows } from '../../tensors/matrix-products.js';
import { TensorFile } from '../../tensors/tensor-file.js';
import { int8Dense } from '../../tensors/int8-dense.js';
import { layerNorm, type Norm } from '../../tensors/layer-norm.js';

/** Width of a piece's row and of the sentence vector. */
const width = 512;
/** Width of each n-gram branch. */
const branchWidth = 256;
/** The n-gram branches: how many pieces each window holds, and how many of them come before the piece. */
const branches = [
  { order: 2, left: 0 },
  { order: 3, left: 1 },
  { order: 5, left: 2 },
] as const;
/** Width of a piece's projection: one slice of `branchWidth` for each branch. */
const projectedWidth = branches.length * branchWidth;
/** Width of a piece's features: its table row and the branches' outputs. */
const featureWidth = width + projectedWidth;
/**
 * How many pieces' projections an encoder keeps (3 KiB each, 24 MiB in all): a piece's projection and its layer norm
 * depend on the piece alone, and common pieces (`<s>`, `</s>`, function words) recur in nearly every text.
 */
const cachedProjections = 8192;
const unknownId = 0;
const beginId = 1;
const endId = 2;

/** An n-gram window: how many pieces it holds, and how many of them come before the piece. */
type Window = (typeof branches)[number];

/**
 * A branch's `count` rows of 256 stacked with `window.left` rows of zeros before them and the rest of a window after
 * them, so that the window of piece `p` is the `order × 256` floats from row `p` on: the convolution's input, zeros
 * outside the text.
 */
function windowsOf(rows: Rows, count: number, window: Window): Float32Array {
  const stacked = new Float32Array((count + window.order - 1) * branchWidth);
  let position = 0;
  for (const row of eachRow(rows, count, branchWidth)) {
    stacked.set(row, (window.left + position) * branchWidth);
    position += 1;
  }
  return stacked;
}

function relu(values: Float32Array): Float32Array {
  for (let index = 0; index < values.length; index += 1) if ((values[index] as number) < 0) values[index] = 0;
  return values;
}

/** The `count` rows of `columns` floats of `rows` (a matrix or one branch's columns of it), one after another. */
function* eachRow(rows: Rows, count: number, columns: number): Generator<Float32Array> {
  for (let row = 0; row < count; row += 1) {
    const start = rows.offset + row * rows.stride;
    yield rows.values.subarray(start, start + columns);
  }
}

/**
 * Google's Universal Sentence Encoder, multilingual v3 (Apache-2.0), quantised to int8 by us
 * (`tools/guardrails/encoder/quantise-encoder.py`): SentencePiece pieces → a 128,000 × 512 piece table →
 * three convolutional n-gram branches (2, 3 and 5 pieces) → a layer norm, a sum over pieces, a small residual MLP
 * → a 512-d unit vector. Sixteen languages; texts that mean the same land close whatever their language.
 * TypeScript over typed arrays, no network: the weights come from one file (see {@link TensorFile}); all pieces of a
 * text go through each layer together, the dense layers' products in a small WebAssembly SIMD function of ours
 * ({@link MatrixProducts}).
 */
export class SentenceEncoder {
  private readonly tokenizer: SentencePieceTokenizer;
  private readonly eps: number;
  private readonly table: Int8Array;
  private readonly tableScales: Float32Array;
  /** The table row of each piece id, −1 for a piece without one (a test fixture holds only the rows it needs). */
  private readonly rowOf: Int32Array;
  private readonly name: string;
  private readonly projection: Dense;
  private readonly projectionNorm: Norm;
  private readonly layers: { first: Dense; second: Dense }[];
  private readonly featureNorm: Norm;
  private readonly pooling: Dense;
  private readonly poolingBias: Float32Array;
  private readonly head: Record<'d0' | 'd1' | 'p1' | 'd2' | 'p3' | 'd3', Dense>;
  /** Every dense layer's products. */
  private readonly products: MatrixProducts;
  /** Projected and normalised rows by piece id, oldest first; at most {@link cachedProjections}. */
  private readonly projections = new Map<number, Float32Array>();

  /**
   * @param bytes the tensor file written by `quantise-encoder.py write`
   * @param name where the bytes came from, for errors
   * @throws LlmopsError `invalid_input` when the file lacks an array or has the wrong shape
   */
  constructor(bytes: Uint8Array, name: string) {
    const file = new TensorFile(bytes, name);
    this.eps = Number(file.settings['eps']);
    const pieces = new TextDecoder().decode(file.tensor('pieces', 'uint8').values).split('\0');
    this.tokenizer = new SentencePieceTokenizer({
      pieces,
      scores: file.tensor('scores', 'float32').values,
      charsmap: file.tensor('charsmap', 'uint8').values,
      controlIds: Array.from(file.tensor('control', 'int32').values),
    });
    const table = file.tensor('table', 'int8');
    this.table = table.values;
    this.tableScales = file.tensor('table.scale', 'float32').values;
    const rows = file.has('table.rows') ? file.tensor('table.rows', 'int32').values : undefined;
    if (table.shape[1] !== width || table.shape[0] !== (rows ? rows.length : pieces.length)) {
      throw new LlmopsError(
        'invalid_input',
        `${name}: expected a piece table of ${rows ? rows.length : pieces.length} × ${width}, found ${table.shape.join(' × ')}`,
      );
    }
    this.rowOf = new Int32Array(pieces.length).fill(-1);
    for (let row = 0; row < table.shape[0]; row += 1) this.rowOf[rows ? (rows[row] as number) : row] = row;
    this.name = name;
    const vector = (tensorName: string) => file.tensor(tensorName, 'float32').values;
    this.projection = int8Dense(file, 'proj_W', 'proj_b');
    this.projectionNorm = { gain: vector('ln_g_all'), shift: vector('ln_b_all'), eps: this.eps };
    this.layers = branches.map(({ order }) => ({
      first: int8Dense(file, `w1_${order}`, `b1_${order}`),
      second: int8Dense(file, `w2_${order}`, `b2_${order}`),
    }));
    this.featureNorm = { gain: vector('ln_g'), shift: vector('ln_b'), eps: this.eps };
    this.pooling = int8Dense(file, 'cnn_W');
    this.poolingBias = vector('cnn_b');
    this.head = {
      d0: int8Dense(file, 'd0'),
      d1: int8Dense(file, 'd1'),
      p1: int8Dense(file, 'p1'),
      d2: int8Dense(file, 'd2'),
      p3: int8Dense(file, 'p3'),
      d3: int8Dense(file, 'd3'),
    };
    this.products = new MatrixProducts([
      this.projection,
      ...this.layers.flatMap(({ first, second }) => [first, second]),
      this.pooling,
      ...Object.values(this.head),
    ]);
  }

  /** The piece ids the encoder reads for a text, `<s>` and `</s>` included (`<unk>` for a text of no pieces, as the wheel reads it). */
  pieceIds(text: string): number[] {
    const ids = this.tokenizer.encode(text);
    return [beginId, ...(ids.length > 0 ? ids : [unknownId]), endId];
  }

  /** The row of the piece table for one piece, dequantised. */
  private row(id: number, out: Float32Array): void {
    const row = this.rowOf[id] as number;
    if (row < 0) throw new LlmopsError('invalid_input', `${this.name}: piece ${id} has no row in the piece table`);
    const scale = this.tableScales[row] as number;
    const table = this.table;
    for (let index = 0, at = row * width; index < width; index += 1, at += 1)
      out[index] = (table[at] as number) * scale;
  }

  /** A text's 512-d unit vector. */
  encode(text: string): Float32Array {
    return this.encodeIds(this.pieceIds(text));
  }

  /**
   * The 512-d unit vector of a sequence of piece ids (as {@link pieceIds} gives them), all pieces together, layer by
   * layer: a piece's features are its table row (512) and the three branches' outputs (3 × 256), one row per piece.
   * @throws LlmopsError `invalid_input` when there are no ids, or an id has no row in the piece table
   */
  encodeIds(ids: readonly number[]): Float32Array {
    const count = ids.length;
    if (count === 0) throw new LlmopsError('invalid_input', `${this.name}: expected at least one piece id, found none`);
    const features = new Float32Array(count * featureWidth);
    ids.forEach((id, position) =>
      this.row(id, features.subarray(position * featureWidth, position * featureWidth + width)),
    );
    const projected = new Float32Array(count * projectedWidth);
    const projections = this.projectionsOf(ids);
    ids.forEach((id, position) => projected.set(projections.get(id) as Float32Array, position * projectedWidth));
    branches.forEach((window, branch) => {
      const layer = this.layers[branch] as (typeof this.layers)[number];
      const input = windowsOf(
        { values: projected, offset: branch * branchWidth, stride: projectedWidth },
        count,
        window,
      );
      const firstOutput = this.convolve(input, window, layer.first);
      const hidden = windowsOf({ values: firstOutput, offset: 0, stride: branchWidth }, count, window);
      const output = this.convolve(hidden, window, layer.second);
      for (let position = 0; position < count; position += 1)
        features.set(
          output.subarray(position * branchWidth, (position + 1) * branchWidth),
          position * featureWidth + width + branch * branchWidth,
        );
    });
    const summed = new Float32Array(featureWidth);
    for (const row of eachRow({ values: features, offset: 0, stride: featureWidth }, count, featureWidth)) {
      layerNorm(row, this.featureNorm);
      for (let index = 0; index < featureWidth; index += 1)
        summed[index] = (summed[index] as number) + (row[index] as number);
    }
    const pooled = this.multiplyRow(summed, this.pooling, new Float32Array(width));
    const root = Math.sqrt(count);
    for (let index = 0; index < width; index += 1)
      pooled[index] = ((pooled[index] as number) + count * (this.poolingBias[index] as number)) / root;
    return this.finish(pooled);
  }

  /**
   * Each distinct piece's row times the projection, layer-normed (768 floats): kept ones from the cache, the others
   * computed together in one product and kept (the oldest dropped past {@link cachedProjections}).
   */
  private projectionsOf(ids: readonly number[]): Map<number, Float32Array> {
    const found = new Map<number, Float32Array>();
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const cached = this.projections.get(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const rows = new Float32Array(missing.length * width);
    missing.forEach((id, index) => this.row(id, rows.subarray(index * width, (index + 1) * width)));
    const out = new Float32Array(missing.length * projectedWidth);
    this.products.multiply({
      x: { values: rows, offset: 0, stride: width },
      count: missing.length,
      layer: this.projection,
      out: { values: out, offset: 0, stride: projectedWidth },
    });
    missing.forEach((id, index) => {
      const projection = out.slice(index * projectedWidth, (index + 1) * projectedWidth);
      layerNorm(projection, this.projectionNorm);
      found.set(id, projection);
      if (this.projections.size >= cachedProjections)
        this.projections.delete(this.projections.keys().next().value as number);
      this.projections.set(id, projection);
    });
    return found;
  }

  /**
   * One convolution of a branch with its residual, `relu(window · layer + bias) + piece`, for every piece at once: a
   * product over the stacked windows (see {@link windowsOf}). Returns 256 floats per piece, piece after piece.
   */
  private convolve(windows: Float32Array, window: Window, layer: Dense): Float32Array {
    const count = windows.length / branchWidth - (window.order - 1);
    const out = new Float32Array(count * branchWidth);
    this.products.multiply({
      x: { values: windows, offset: 0, stride: branchWidth },
      count,
      layer,
      out: { values: out, offset: 0, stride: branchWidth },
    });
    const residual = window.left * branchWidth;
    for (let index = 0; index < out.length; index += 1)
      out[index] = Math.max(out[index] as number, 0) + (windows[residual + index] as number);
    return out;
  }

  /** `out = x · layer (+ bias)`, for one row `x`. */
  private multiplyRow(x: Float32Array, layer: Dense, out: Float32Array): Float32Array {
    this.products.multiply({
      x: { values: x, offset: 0, stride: layer.inputs },
      count: 1,
      layer,
      out: { values: out, offset: 0, stride: 0 },
    });
    return out;
  }

  /** The encoder's last layers: a residual MLP, tanh, unit length. */
  private finish(pooled: Float32Array): Float32Array {
    const { d0, d1, p1, d2, p3, d3 } = this.head;
    const y0 = relu(this.multiplyRow(pooled, d0, new Float32Array(d0.outputs)));
    const y1 = this.multiplyRow(pooled, p1, new Float32Array(p1.outputs));
    const fromY0 = this.multiplyRow(y0, d1, new Float32Array(d1.outputs));
    for (let index = 0; index < y1.length; index += 1) y1[index] = (y1[index] as number) + (fromY0[index] as number);
    relu(y1);
    const y2 = relu(this.multiplyRow(y1, d2, new Float32Array(d2.outputs)));
    const z = this.multiplyRow(y1, p3, new Float32Array(width));
    const fromY2 = this.multiplyRow(y2, d3, new Float32Array(width));
    let norm = 0;
    for (let index = 0; index < width; index += 1) {
      const value = Math.tanh((z[index] as number) + (fromY2[index] as number));
      z[index] = value;
      norm += value * value;
    }
    const scale = 1 / Math.max(Math.sqrt(norm), Math.sqrt(this.eps));
    for (let index = 0; index < width; index += 1) z[index] = (z[index] as number) * scale;
    return z;
  }
}

import { LlmopsError } from '@llmops/kernel';
import { SentencePieceTokenizer } from './sentence-piece-tokenizer.js';
import { TensorFile } from './tensor-file.js';

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
const unknownId = 0;
const beginId = 1;
const endId = 2;

/** A dense layer: weights dequantised from int8 (one scale per output column), stored output-major. */
interface Dense {
  inputs: number;
  outputs: number;
  /** `outputs × inputs`: the weights into output 0, then into output 1… */
  weights: Float32Array;
  bias?: Float32Array;
}

function dense(file: TensorFile, name: string, biasName?: string): Dense {
  const { shape, values } = file.tensor(name, 'int8');
  const scales = file.tensor(`${name}.scale`, 'float32').values;
  const [inputs, outputs] = shape as [number, number];
  const weights = new Float32Array(values.length);
  for (let input = 0; input < inputs; input += 1)
    for (let output = 0; output < outputs; output += 1)
      weights[output * inputs + input] = (values[input * outputs + output] as number) * (scales[output] as number);
  return { inputs, outputs, weights, ...(biasName ? { bias: file.tensor(biasName, 'float32').values } : {}) };
}

/** `out = x · layer (+ bias)`, for one row `x`: one dot product per output, summed in a local. */
function multiply(x: Float32Array, layer: Dense, out: Float32Array): Float32Array {
  const { inputs, outputs, weights, bias } = layer;
  for (let output = 0, row = 0; output < outputs; output += 1, row += inputs) {
    let sum = bias ? (bias[output] as number) : 0;
    for (let input = 0; input < inputs; input += 1) sum += (x[input] as number) * (weights[row + input] as number);
    out[output] = sum;
  }
  return out;
}

function relu(values: Float32Array): Float32Array {
  for (let index = 0; index < values.length; index += 1) if ((values[index] as number) < 0) values[index] = 0;
  return values;
}

/** A layer norm's gain and shift, and the epsilon under the square root. */
interface Norm {
  gain: Float32Array;
  shift: Float32Array;
  eps: number;
}

function layerNorm(row: Float32Array, { gain, shift, eps }: Norm): void {
  let mean = 0;
  for (const value of row) mean += value;
  mean /= row.length;
  let variance = 0;
  for (const value of row) variance += (value - mean) * (value - mean);
  const scale = 1 / Math.sqrt(variance / row.length + eps);
  for (let index = 0; index < row.length; index += 1)
    row[index] = ((row[index] as number) - mean) * scale * (gain[index] as number) + (shift[index] as number);
}

/**
 * Google's Universal Sentence Encoder, multilingual v3 (Apache-2.0), quantised to int8 by us
 * (`tools/guardrails/encoder/quantise-encoder.py`): SentencePiece pieces → a 128,000 × 512 piece table →
 * three convolutional n-gram branches (2, 3 and 5 pieces) → a layer norm, a sum over pieces, a small residual MLP
 * → a 512-d unit vector. Sixteen languages; texts that mean the same land close whatever their language.
 * Pure TypeScript over typed arrays, no network: the weights come from one file (see {@link TensorFile}).
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
    this.projection = dense(file, 'proj_W', 'proj_b');
    this.projectionNorm = { gain: vector('ln_g_all'), shift: vector('ln_b_all'), eps: this.eps };
    this.layers = branches.map(({ order }) => ({
      first: dense(file, `w1_${order}`, `b1_${order}`),
      second: dense(file, `w2_${order}`, `b2_${order}`),
    }));
    this.featureNorm = { gain: vector('ln_g'), shift: vector('ln_b'), eps: this.eps };
    this.pooling = dense(file, 'cnn_W');
    this.poolingBias = vector('cnn_b');
    this.head = {
      d0: dense(file, 'd0'),
      d1: dense(file, 'd1'),
      p1: dense(file, 'p1'),
      d2: dense(file, 'd2'),
      p3: dense(file, 'p3'),
      d3: dense(file, 'd3'),
    };
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
    const ids = this.pieceIds(text);
    const count = ids.length;
    const features = ids.map(() => new Float32Array(width + branches.length * branchWidth));
    const projected = ids.map((id, position) => {
      const embedded = (features[position] as Float32Array).subarray(0, width);
      this.row(id, embedded);
      const out = multiply(embedded, this.projection, new Float32Array(branches.length * branchWidth));
      layerNorm(out, this.projectionNorm);
      return out;
    });
    branches.forEach(({ order, left }, branch) => {
      const layer = this.layers[branch] as (typeof this.layers)[number];
      const inputs = projected.map((row) => row.subarray(branch * branchWidth, (branch + 1) * branchWidth));
      const hidden = this.convolve(inputs, { order, left }, layer.first);
      const outputs = this.convolve(hidden, { order, left }, layer.second);
      outputs.forEach((row, position) => (features[position] as Float32Array).set(row, width + branch * branchWidth));
    });
    const summed = new Float32Array(width + branches.length * branchWidth);
    for (const row of features) {
      layerNorm(row, this.featureNorm);
      for (let index = 0; index < row.length; index += 1)
        summed[index] = (summed[index] as number) + (row[index] as number);
    }
    const pooled = multiply(summed, this.pooling, new Float32Array(width));
    const root = Math.sqrt(count);
    for (let index = 0; index < width; index += 1)
      pooled[index] = ((pooled[index] as number) + count * (this.poolingBias[index] as number)) / root;
    return this.finish(pooled);
  }

  /** One convolution of a branch with its residual: `relu(window · layer + bias) + input`, zeros outside the text. */
  private convolve(inputs: Float32Array[], window: { order: number; left: number }, layer: Dense): Float32Array[] {
    const joined = new Float32Array(window.order * branchWidth);
    return inputs.map((input, position) => {
      joined.fill(0);
      for (let slot = 0; slot < window.order; slot += 1) {
        const source = inputs[position - window.left + slot];
        if (source) joined.set(source, slot * branchWidth);
      }
      const out = relu(multiply(joined, layer, new Float32Array(branchWidth)));
      for (let index = 0; index < branchWidth; index += 1)
        out[index] = (out[index] as number) + (input[index] as number);
      return out;
    });
  }

  /** The encoder's last layers: a residual MLP, tanh, unit length. */
  private finish(pooled: Float32Array): Float32Array {
    const { d0, d1, p1, d2, p3, d3 } = this.head;
    const y0 = relu(multiply(pooled, d0, new Float32Array(d0.outputs)));
    const y1 = multiply(pooled, p1, new Float32Array(p1.outputs));
    const fromY0 = multiply(y0, d1, new Float32Array(d1.outputs));
    for (let index = 0; index < y1.length; index += 1) y1[index] = (y1[index] as number) + (fromY0[index] as number);
    relu(y1);
    const y2 = relu(multiply(y1, d2, new Float32Array(d2.outputs)));
    const z = multiply(y1, p3, new Float32Array(width));
    const fromY2 = multiply(y2, d3, new Float32Array(width));
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

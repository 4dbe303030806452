import { LlmopsError } from '@llmops/kernel';
import { simdDotProducts, type SimdDotProducts } from './simd-dot-products.js';

/** A dense layer: weights dequantised from int8 (one scale per output column), stored output-major. */
export interface Dense {
  inputs: number;
  outputs: number;
  /** `outputs × inputs`: the weights into output 0, then into output 1… */
  weights: Float32Array;
  bias?: Float32Array;
}

/** Rows of floats in one array: row `r` starts at `offset + r × stride`. */
export interface Rows {
  values: Float32Array;
  offset: number;
  stride: number;
}

/** A matrix–matrix product to compute: `count` rows of `x`, each `layer.inputs` long, times the layer, into `out`. */
export interface Product {
  x: Rows;
  count: number;
  layer: Dense;
  out: Rows;
}

/** Rows the main WebAssembly function takes together (one weight load for all of them); the rest go one by one. */
const rowsPerGroup = 4;
const pageBytes = 65_536;

/**
 * Matrix–matrix products against a fixed set of dense layers, in a WebAssembly memory of ours (see
 * {@link simdDotProducts}): the layers' weights are copied in once; for each product the input rows are copied in
 * after them (a convolution's overlapping windows as the span they cover), the function applies each weight row to
 * every input row while it is in cache, four floats, two outputs and four rows at a time, and the sums come back out with the
 * bias added. Sums are of float32 products in four lanes: the same as one row at a time up to float rounding.
 */
export class MatrixProducts {
  private readonly simd: SimdDotProducts;
  private readonly addressOf = new Map<Dense, number>();
  /** Where the inputs of a product go: after the weights. */
  private readonly scratch: number;

  /**
   * @param layers every layer that {@link multiply} will be given
   * @throws LlmopsError `invalid_input` when a layer's inputs are not a multiple of 4 or its outputs not even
   */
  constructor(layers: readonly Dense[]) {
    const odd = layers.find((layer) => layer.inputs % 4 !== 0 || layer.outputs % 2 !== 0);
    if (odd)
      throw new LlmopsError(
        'invalid_input',
        `a dense layer of ${odd.inputs} × ${odd.outputs}: expected inputs a multiple of 4 and an even number of outputs`,
      );
    this.simd = simdDotProducts();
    const bytes = layers.reduce((total, layer) => total + layer.weights.byteLength, 0);
    this.reserve(bytes);
    let address = 0;
    for (const layer of layers) {
      new Float32Array(this.simd.memory.buffer, address, layer.weights.length).set(layer.weights);
      this.addressOf.set(layer, address);
      address += layer.weights.byteLength;
    }
    this.scratch = address;
  }

  /**
   * `out[r] = x[r] · layer + bias` for the product's rows.
   * @throws LlmopsError `internal` when the layer was not given to the constructor
   */
  multiply(product: Product): void {
    const { layer } = product;
    const address = this.addressOf.get(layer);
    if (address === undefined)
      throw new LlmopsError(
        'internal',
        `a product over a ${layer.inputs} × ${layer.outputs} layer not placed in memory`,
      );
    this.run(product, { weightsAt: address, inputsAt: this.scratch });
  }

  /**
   * The same product over a layer made for this one call (attention's keys or values of a text): its weights are
   * copied in after the placed layers, and the inputs after them.
   * @throws LlmopsError `invalid_input` when the layer's inputs are not a multiple of 4 or its outputs not even
   */
  multiplyOnce(product: Product): void {
    const { layer } = product;
    if (layer.inputs % 4 !== 0 || layer.outputs % 2 !== 0)
      throw new LlmopsError(
        'invalid_input',
        `a dense layer of ${layer.inputs} × ${layer.outputs}: expected inputs a multiple of 4 and an even number of outputs`,
      );
    this.reserve(this.scratch + layer.weights.byteLength);
    new Float32Array(this.simd.memory.buffer, this.scratch, layer.weights.length).set(layer.weights);
    this.run(product, { weightsAt: this.scratch, inputsAt: this.scratch + layer.weights.byteLength });
  }

  /** The product with the weights at `weightsAt` and the inputs copied to `inputsAt` (the sums after them). */
  private run(
    { x, count, layer, out }: Product,
    { weightsAt, inputsAt }: { weightsAt: number; inputsAt: number },
  ): void {
    const address = weightsAt;
    const span = (count - 1) * x.stride + layer.inputs;
    const outputAddress = inputsAt + span * 4;
    this.reserve(outputAddress + count * layer.outputs * 4);
    const memory = this.simd.memory.buffer;
    new Float32Array(memory, inputsAt, span).set(x.values.subarray(x.offset, x.offset + span));
    const grouped = count - (count % rowsPerGroup);
    const { products4, products1 } = this.simd;
    products4(inputsAt, x.stride * 4, grouped, address, layer.inputs * 4, layer.outputs, outputAddress);
    const rest = [inputsAt + grouped * x.stride * 4, outputAddress + grouped * layer.outputs * 4] as const;
    products1(rest[0], x.stride * 4, count - grouped, address, layer.inputs * 4, layer.outputs, rest[1]);
    const sums = new Float32Array(memory, outputAddress, count * layer.outputs);
    const { bias } = layer;
    for (let row = 0; row < count; row += 1) {
      const from = row * layer.outputs;
      const to = out.offset + row * out.stride;
      for (let output = 0; output < layer.outputs; output += 1)
        out.values[to + output] = (sums[from + output] as number) + (bias ? (bias[output] as number) : 0);
    }
  }

  /** Grows the memory to hold at least `bytes`. */
  private reserve(bytes: number): void {
    const missing = bytes - this.simd.memory.buffer.byteLength;
    if (missing > 0) this.simd.memory.grow(Math.ceil(missing / pageBytes));
  }
}

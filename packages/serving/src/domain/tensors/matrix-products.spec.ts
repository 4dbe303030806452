import { LlmopsError } from '@llmops/kernel';
import { MatrixProducts, type Dense } from './matrix-products.js';

/** A layer of `inputs × outputs` with weights and bias from a small fixed sequence (no randomness). */
function layerOf(inputs: number, outputs: number): Dense {
  const weights = Float32Array.from({ length: inputs * outputs }, (_, index) => ((index * 7) % 13) / 13 - 0.5);
  const bias = Float32Array.from({ length: outputs }, (_, index) => index / 10);
  return { inputs, outputs, weights, bias };
}

describe('MatrixProducts', () => {
  const layer = layerOf(8, 6);
  const products = new MatrixProducts([layer]);

  it('gives each row its dot products plus the bias, for every row count around the groups of four, over overlapping rows', () => {
    const values = Float32Array.from({ length: 200 }, (_, index) => ((index * 5) % 11) - 5);
    for (const count of [1, 2, 3, 4, 5, 7, 8, 9]) {
      const stride = 4; // each row overlaps the next by half, as a convolution's windows do
      const out = new Float32Array(count * 10).fill(Number.NaN);
      products.multiply({
        x: { values, offset: 3, stride },
        count,
        layer,
        out: { values: out, offset: 1, stride: 10 },
      });
      const expected: number[] = [];
      const actual: number[] = [];
      for (let row = 0; row < count; row += 1)
        for (let output = 0; output < layer.outputs; output += 1) {
          let sum = layer.bias?.[output] as number;
          for (let input = 0; input < layer.inputs; input += 1)
            sum +=
              (values[3 + row * stride + input] as number) * (layer.weights[output * layer.inputs + input] as number);
          expected.push(sum);
          actual.push(out[1 + row * 10 + output] as number);
        }
      expect({
        count,
        close: actual.every((value, index) => Math.abs(value - (expected[index] as number)) < 1e-5),
      }).toEqual({
        count,
        close: true,
      });
    }
  });

  it('rejects a layer whose shape the SIMD function cannot take, saying what it expected', () => {
    expect(() => new MatrixProducts([layerOf(6, 4)])).toThrow(
      /a dense layer of 6 × 4: expected inputs a multiple of 4 and an even number of outputs/,
    );
    expect(() => new MatrixProducts([layerOf(8, 3)])).toThrow(LlmopsError);
  });

  it('rejects a product over a layer it was not given', () => {
    const out = new Float32Array(6);
    expect(() =>
      products.multiply({
        x: { values: new Float32Array(8), offset: 0, stride: 8 },
        count: 1,
        layer: layerOf(8, 6),
        out: { values: out, offset: 0, stride: 6 },
      }),
    ).toThrow(/not placed in memory/);
  });

  it('multiplies once by a layer it was not given, as by a placed one, and leaves the placed layers intact', () => {
    const once = layerOf(12, 10);
    const values = Float32Array.from({ length: 7 * 12 }, (_, index) => ((index * 3) % 7) - 3);
    const byOnce = new Float32Array(7 * 10);
    products.multiplyOnce({
      x: { values, offset: 0, stride: 12 },
      count: 7,
      layer: once,
      out: { values: byOnce, offset: 0, stride: 10 },
    });
    const placed = new Float32Array(7 * 10);
    new MatrixProducts([once]).multiply({
      x: { values, offset: 0, stride: 12 },
      count: 7,
      layer: once,
      out: { values: placed, offset: 0, stride: 10 },
    });
    expect(Array.from(byOnce)).toEqual(Array.from(placed));
    const before = new Float32Array(6);
    const after = new Float32Array(6);
    const row = { values: Float32Array.from({ length: 8 }, (_, index) => index), offset: 0, stride: 8 };
    products.multiply({ x: row, count: 1, layer, out: { values: before, offset: 0, stride: 6 } });
    products.multiplyOnce({
      x: { values, offset: 0, stride: 12 },
      count: 7,
      layer: once,
      out: { values: byOnce, offset: 0, stride: 10 },
    });
    products.multiply({ x: row, count: 1, layer, out: { values: after, offset: 0, stride: 6 } });
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(() =>
      products.multiplyOnce({ x: row, count: 1, layer: layerOf(6, 4), out: { values: after, offset: 0, stride: 6 } }),
    ).toThrow(/a dense layer of 6 × 4/);
  });
});

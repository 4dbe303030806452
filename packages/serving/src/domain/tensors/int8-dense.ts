import type { Dense } from './matrix-products.js';
import type { TensorFile } from './tensor-file.js';

/**
 * The dense layer stored in `file` as the int8 array `name` (`inputs × outputs`) with one float32 scale per output
 * column (`name.scale`), dequantised and stored output-major as {@link Dense} wants it, with the float32 bias
 * `biasName` when given.
 * @throws LlmopsError `invalid_input` when the file lacks an array or it has another type
 */
export function int8Dense(file: TensorFile, name: string, biasName?: string): Dense {
  const { shape, values } = file.tensor(name, 'int8');
  const scales = file.tensor(`${name}.scale`, 'float32').values;
  const [inputs, outputs] = shape as [number, number];
  const weights = new Float32Array(values.length);
  for (let input = 0; input < inputs; input += 1)
    for (let output = 0; output < outputs; output += 1)
      weights[output * inputs + input] = (values[input * outputs + output] as number) * (scales[output] as number);
  return { inputs, outputs, weights, ...(biasName ? { bias: file.tensor(biasName, 'float32').values } : {}) };
}

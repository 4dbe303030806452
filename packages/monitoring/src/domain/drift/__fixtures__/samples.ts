/**
 * Fixed samples for the drift statistics' table tests. The expected values beside each test were computed from
 * these exact inputs with scipy 1.17.1 / numpy 2.4.6 (Python 3.11) and pasted in; the tests never call Python.
 */

/** 24 values roughly centred on 0. */
export const sampleA = [
  0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28,
  2.36, 1.31, 1.05, -0.52, -0.73, -0.46,
];

/** 20 values shifted to the right of {@link sampleA}. */
export const sampleB = [
  1.2, 0.4, 2.1, 0.9, 1.7, 0.3, 1.5, 2.6, 0.8, 1.1, 1.9, 0.2, 1.4, 2.2, 0.7, 1.0, 1.6, 2.9, 0.5, 1.3,
];

/** Small integer samples with many ties, within and across samples. */
export const tiedC = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5];
export const tiedD = [2, 3, 3, 4, 4, 4, 5, 5, 6, 6];

/** ((i · multiplier) mod modulus) / modulus + shift for i = 1…size, written the same way in the Python script. */
export function modularSequence(options: { size: number; multiplier: number; modulus: number; shift?: number }): number[] {
  const values: number[] = [];
  for (let index = 1; index <= options.size; index++) {
    values.push(((index * options.multiplier) % options.modulus) / options.modulus + (options.shift ?? 0));
  }
  return values;
}

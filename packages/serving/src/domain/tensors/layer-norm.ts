/** A layer norm's gain and shift, and the epsilon under the square root. */
export interface Norm {
  gain: Float32Array;
  shift: Float32Array;
  eps: number;
}

/** Normalises one row in place: zero mean, unit variance, then `× gain + shift`. */
export function layerNorm(row: Float32Array, { gain, shift, eps }: Norm): void {
  let mean = 0;
  for (const value of row) mean += value;
  mean /= row.length;
  let variance = 0;
  for (const value of row) variance += (value - mean) * (value - mean);
  const scale = 1 / Math.sqrt(variance / row.length + eps);
  for (let index = 0; index < row.length; index += 1)
    row[index] = ((row[index] as number) - mean) * scale * (gain[index] as number) + (shift[index] as number);
}

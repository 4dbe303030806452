import { logBinomial, logGamma } from './gamma-functions.js';

/**
 * Tail probabilities of the Kolmogorov–Smirnov statistic of one sample of size n, following the regions of
 * Simard & L'Ecuyer (2011, "Computing the two-sided Kolmogorov-Smirnov distribution"), which is also how
 * scipy.stats.kstwo chooses its method: Ruben–Gambino's closed forms at both ends, the Durbin matrix of
 * Marsaglia, Tsang & Wang (2003) for small n·x², twice the exact one-sided Smirnov tail where that tail is small,
 * and Pelz–Good's asymptotic series for large n in between.
 */

/**
 * P(D⁺ₙ ≥ x), the exact one-sided Smirnov tail (Birnbaum–Tingey sum, summed in log space).
 * @param n - sample size (a positive integer)
 * @param x - the statistic, in [0, 1]
 */
export function smirnovOneSidedSurvival(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const last = Math.floor(n * (1 - x) + 1e-12);
  const logTerms: number[] = [];
  let largest = -Infinity;
  for (let j = 0; j <= last; j++) {
    const low = 1 - x - j / n;
    if (low <= 0) continue;
    const logTerm = logBinomial(n, j) + (n - j) * Math.log(low) + (j - 1) * Math.log(x + j / n);
    logTerms.push(logTerm);
    if (logTerm > largest) largest = logTerm;
  }
  let sum = 0;
  for (const logTerm of logTerms) sum += Math.exp(logTerm - largest);
  return Math.min(1, x * sum * Math.exp(largest));
}

/** P(Dₙ ≤ x) by the Durbin matrix method of Marsaglia, Tsang & Wang (exact; used where n·x is small). */
function durbinMatrixCdf(n: number, x: number): number {
  const k = Math.floor(n * x) + 1;
  const size = 2 * k - 1;
  const h = k - n * x;
  const matrix = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) matrix[row * size + column] = row - column + 1 >= 0 ? 1 : 0;
  }
  for (let index = 0; index < size; index++) {
    matrix[index * size] -= h ** (index + 1);
    matrix[(size - 1) * size + index] -= h ** (size - index);
  }
  matrix[(size - 1) * size] += 2 * h - 1 > 0 ? (2 * h - 1) ** size : 0;
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      for (let divisor = 2; divisor <= row - column + 1; divisor++) matrix[row * size + column] /= divisor;
    }
  }
  const { values, exponent } = matrixPower(matrix, size, n);
  // Multiply by n!/nⁿ, carrying the power-of-two exponent the matrix power accumulated.
  const logScale = logGamma(n + 1) - n * Math.log(n) + exponent * Math.LN2;
  return values[(k - 1) * size + (k - 1)] * Math.exp(logScale);
}

interface ScaledMatrix {
  values: Float64Array;
  /** The true matrix is `values` × 2^exponent. */
  exponent: number;
}

function multiply(left: Float64Array, right: Float64Array, size: number): Float64Array {
  const product = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let middle = 0; middle < size; middle++) {
      const factor = left[row * size + middle];
      if (factor === 0) continue;
      for (let column = 0; column < size; column++) {
        product[row * size + column] += factor * right[middle * size + column];
      }
    }
  }
  return product;
}

/** Keeps the centre entry near 1 so that large powers neither overflow nor underflow. */
function rescale(matrix: ScaledMatrix, size: number): ScaledMatrix {
  const centre = Math.floor(size / 2);
  const pivot = Math.abs(matrix.values[centre * size + centre]);
  if (pivot === 0 || (pivot > 1e-140 && pivot < 1e140)) return matrix;
  const shift = Math.round(Math.log2(pivot));
  const factor = 2 ** -shift;
  return { values: matrix.values.map((value) => value * factor), exponent: matrix.exponent + shift };
}

function matrixPower(base: Float64Array, size: number, power: number): ScaledMatrix {
  if (power === 1) return { values: base, exponent: 0 };
  const half = matrixPower(base, size, Math.floor(power / 2));
  let result: ScaledMatrix = { values: multiply(half.values, half.values, size), exponent: 2 * half.exponent };
  if (power % 2 === 1) result = { values: multiply(base, result.values, size), exponent: result.exponent };
  return rescale(result, size);
}

const piSquared = Math.PI ** 2;
const sqrtTwoPi = Math.sqrt(2 * Math.PI);

/** P(Dₙ ≤ x) by Pelz & Good's (1976) asymptotic series in 1/√n, accurate for large n. */
function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qLog = -piSquared / 8 / z2;
  if (qLog < -745) return 0;
  const q = Math.exp(qLog);
  const terms = [0, 0, 0, 0];
  const highest = Math.ceil((16 * z) / Math.PI);
  // Sums over odd m = 2k − 1 of coefficient(m) · q^(m²), by Horner's scheme in q⁸ᵏ.
  for (let k = highest; k >= 1; k--) {
    const m2 = (2 * k - 1) ** 2;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const step = q ** (8 * k);
    terms[0] = terms[0] * step + 1;
    terms[1] = terms[1] * step + (-z2 + (piSquared / 4) * m2);
    terms[2] =
      terms[2] * step +
      (6 * z6 + 2 * z4 + ((2 * z4 - 5 * z2) * piSquared * m2) / 4 + (piSquared ** 2 * (1 - 2 * z2) * m4) / 16);
    terms[3] =
      terms[3] * step +
      (-30 * z6 -
        90 * z6 * z2 +
        (piSquared * (135 * z4 - 96 * z6) * m2) / 4 +
        (piSquared ** 2 * (212 * z4 - 60 * z2) * m4) / 16 +
        (piSquared ** 3 * (5 - 30 * z2) * m6) / 64);
  }
  const divisors = [z, 6 * z4, 72 * z6 * z, 6480 * z4 * z6];
  for (let index = 0; index < 4; index++) terms[index] = (terms[index] * q * sqrtTwoPi) / divisors[index];
  // The sums over all integers k of K₂ and K₃.
  const qAll = Math.exp(-piSquared / 2 / z2);
  let extra2 = 0;
  let extra3 = 0;
  for (let k = highest; k >= 1; k--) {
    const k2 = k * k;
    const weight = k2 * qAll ** k2;
    extra2 += weight;
    extra3 += (3 * z2 - piSquared * k2) * weight;
  }
  terms[2] += (extra2 * piSquared * sqrtTwoPi) / (-36 * z2 * z);
  terms[3] += (extra3 * piSquared * sqrtTwoPi) / (216 * z6);
  return terms[0] + terms[1] / Math.sqrt(n) + terms[2] / n + terms[3] / (n * Math.sqrt(n));
}

const clip = (probability: number): number => Math.min(1, Math.max(0, probability));

/**
 * P(Dₙ ≥ x) for the two-sided one-sample Kolmogorov–Smirnov statistic (scipy.stats.kstwo.sf).
 * @param n - sample size (a positive integer)
 * @param x - the statistic
 */
export function kolmogorovSurvival(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    const logCdf = logGamma(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1);
    return clip(1 - Math.exp(logCdf));
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovOneSidedSurvival(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared < 4) return clip(1 - durbinMatrixCdf(n, x));
    return clip(2 * smirnovOneSidedSurvival(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip(2 * smirnovOneSidedSurvival(n, x));
  if (n <= 100_000 && n * x ** 1.5 <= 1.4) return clip(1 - durbinMatrixCdf(n, x));
  return clip(1 - pelzGoodCdf(n, x));
}

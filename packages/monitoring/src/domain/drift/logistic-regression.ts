import type { SparseVector } from './hashed-ngram-features.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';

/** A trained binary logistic regression over sparse features. */
export interface LogisticModel {
  weights: Float64Array;
  bias: number;
}

/** Options of {@link trainLogisticRegression}. */
export interface LogisticTrainingOptions {
  dimensions: number;
  /** Passes over the training set (5 by default). */
  epochs?: number;
  /** Step size of stochastic gradient descent (0.5 by default; features are unit vectors). */
  learningRate?: number;
  /** Seed of the example order, so training is deterministic (42 by default). */
  seed?: number;
}

const sigmoid = (value: number): number => 1 / (1 + Math.exp(-value));

/** The model's probability that a vector belongs to class 1. */
export function predictProbability(model: LogisticModel, vector: SparseVector): number {
  let sum = model.bias;
  for (let index = 0; index < vector.indices.length; index++) {
    sum += model.weights[vector.indices[index]] * vector.values[index];
  }
  return sigmoid(sum);
}

/**
 * Logistic regression trained by plain stochastic gradient descent on the log loss, a few epochs over a seeded
 * shuffle of the examples: the number of epochs is the only regularisation, enough for a drift signal.
 */
export function trainLogisticRegression(
  vectors: readonly SparseVector[],
  labels: readonly (0 | 1)[],
  options: LogisticTrainingOptions,
): LogisticModel {
  const model: LogisticModel = { weights: new Float64Array(options.dimensions), bias: 0 };
  const epochs = options.epochs ?? 5;
  const learningRate = options.learningRate ?? 0.5;
  const random = seededRandom(options.seed ?? 42);
  const order = vectors.map((_vector, index) => index);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const example of order) {
      const vector = vectors[example];
      const step = learningRate * (predictProbability(model, vector) - labels[example]);
      for (let index = 0; index < vector.indices.length; index++) {
        model.weights[vector.indices[index]] -= step * vector.values[index];
      }
      model.bias -= step;
    }
  }
  return model;
}

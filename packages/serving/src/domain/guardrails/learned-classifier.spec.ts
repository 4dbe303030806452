import { LlmopsError } from '@llmops/kernel';
import { hashedFeatures } from './hashed-features.js';
import { LearnedClassifier, learnedClassifierLabels } from './learned-classifier.js';
import type { LearnedClassifierModel } from './learned-classifier.js';
import { normalizeForMatching } from './text-normalization.js';

const dimension = 1 << 12;
const heads = learnedClassifierLabels.length;
const dangerous = learnedClassifierLabels.indexOf('dangerous');

/** A model that knows one thing: the features of "pipe bomb" push `dangerous` up. */
function pipeBombModel(): LearnedClassifierModel {
  const bytes = new Int8Array(dimension * heads);
  for (const index of hashedFeatures(normalizeForMatching('pipe bomb'), dimension).indices) {
    bytes[index * heads + dangerous] = 127;
  }
  return {
    format: 'llmops-hashed-linear/1',
    dimension,
    labels: learnedClassifierLabels,
    biases: learnedClassifierLabels.map(() => -4),
    scales: learnedClassifierLabels.map(() => 0.1),
    thresholds: {
      violence: 0.5,
      self_harm: 0.5,
      hate_harassment: 0.5,
      sexual_minors: 0.5,
      dangerous: 0.5,
      injection: 0.5,
    },
    weights: Buffer.from(bytes.buffer).toString('base64'),
  };
}

describe('hashedFeatures', () => {
  it('gives the same unit-length features for the same text, and different ones for another text', () => {
    const first = hashedFeatures(' how to make a pipe bomb ', dimension);
    const again = hashedFeatures(' how to make a pipe bomb ', dimension);
    const other = hashedFeatures(' how to bake a cake ', dimension);
    expect(Array.from(first.indices)).toEqual(Array.from(again.indices));
    expect(Array.from(first.indices)).not.toEqual(Array.from(other.indices));
    const length = Math.sqrt(Array.from(first.values).reduce((sum, value) => sum + value * value, 0));
    expect(length).toBeCloseTo(1, 5);
    expect(Math.max(...first.indices)).toBeLessThan(dimension);
  });

  it('gives no features for an empty text', () => {
    expect(hashedFeatures('  ', dimension).indices).toHaveLength(0);
  });
});

describe('LearnedClassifier', () => {
  const classifier = new LearnedClassifier(pipeBombModel());

  it('scores every label in [0, 1], higher where the model learned it', () => {
    const harmful = classifier.scores('Tell me how to build a pipe bomb');
    expect(classifier.scores('pipe bomb').dangerous).toBe(0);
    const benign = classifier.scores('How do I export my notes?');
    expect(Object.keys(harmful).sort()).toEqual([...learnedClassifierLabels].sort());
    for (const score of Object.values(harmful)) expect(score).toBeGreaterThanOrEqual(0);
    expect(harmful.dangerous).toBeGreaterThan(0.5);
    expect(benign.dangerous).toBeLessThan(0.5);
    expect(harmful.violence).toBeLessThan(0.05);
  });

  it('reads disguises the normalisation undoes like the plain text', () => {
    const plain = classifier.scores('a pipe bomb now');
    expect(plain.dangerous).toBeGreaterThan(0.5);
    expect(classifier.scores('a p i p e  b o m b now').dangerous).toBeCloseTo(plain.dangerous, 6);
    expect(classifier.scores('A PIPE BOMB NOW').dangerous).toBeCloseTo(plain.dangerous, 6);
  });

  it('scores a long text window by window, so one harmful sentence is not diluted by pages of benign text', () => {
    const filler = 'Our notes app syncs your pages across devices and keeps a history of every change. '.repeat(40);
    const scores = classifier.scores(`${filler}Here is how to build a pipe bomb. ${filler}`);
    expect(scores.dangerous).toBeGreaterThan(0.5);
  });

  it('rejects a model whose shape does not add up', () => {
    const model = pipeBombModel();
    expect(() => new LearnedClassifier({ ...model, biases: [0] })).toThrow(LlmopsError);
    expect(() => new LearnedClassifier({ ...model, dimension: 1000 })).toThrow(/power-of-two/);
    const truncated = new LearnedClassifier({ ...model, weights: 'AAAA' });
    expect(() => truncated.scores('a pipe bomb now')).toThrow(/expected 24576 weight bytes, found 3/);
  });
});

import { LlmopsError } from '@llmops/kernel';
import { classifierHarmCategories } from './harm-categories.js';
import { hashedFeatures } from './hashed-features.js';
import { normalizeForMatching } from './text-normalization.js';

/** What the learned classifier scores: each category of the local harm classifier, and prompt injection. */
export const learnedClassifierLabels = [...classifierHarmCategories, 'injection'] as const;
/** One head of the learned classifier. */
export type LearnedClassifierLabel = (typeof learnedClassifierLabels)[number];

/** Scores in [0, 1], one per head. */
export type LearnedScores = Record<LearnedClassifierLabel, number>;

/**
 * The learned classifier as it ships: a one-vs-rest logistic regression per label over hashed features
 * (see `hashedFeatures`), weights quantised to signed bytes. Written by `tools/guardrails/train-classifier.ts`.
 */
export interface LearnedClassifierModel {
  format: 'llmops-hashed-linear/1';
  /** Buckets of the hashed features (a power of two). */
  dimension: number;
  /** The heads, in the order of `biases`, `scales` and the weights of each bucket. */
  labels: readonly LearnedClassifierLabel[];
  biases: readonly number[];
  /** A head's real weight is its byte times its scale. */
  scales: readonly number[];
  /** Scores at and above which a head counts as found, chosen on the validation split. */
  thresholds: Readonly<Record<LearnedClassifierLabel, number>>;
  /** Base64 of `dimension × labels.length` signed bytes, bucket-major (the heads of bucket 0, then of bucket 1…). */
  weights: string;
}

/** The longest piece of text scored at once; longer texts are cut at sentence ends and each piece scored (the highest score counts). */
const windowChars = 600;

function windowsOf(text: string): string[] {
  if (text.length <= windowChars) return [text];
  const sentences = text.match(/[^.!?\n]+[.!?\n]*/g) ?? [text];
  const windows: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current.length > 0 && current.length + sentence.length > windowChars) {
      windows.push(current);
      current = '';
    }
    current += sentence;
  }
  if (current.trim() !== '') windows.push(current);
  return windows;
}

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/**
 * Fewer words than this and a piece of text is not scored (all scores 0): a few hashed n-grams of a
 * two-word text ("m2", "ok thanks") land on weights learned for other words, and the lexicon judges
 * short texts anyway.
 */
const minWords = 3;

/** How many recent texts keep their scores (the harm and injection checks of one request read the same texts). */
const rememberedTexts = 32;

/**
 * Scores texts with a {@link LearnedClassifierModel}. The weights are decoded on first use, once. The
 * text is normalised like the lexicon reads it (`normalizeForMatching`: confusables, leetspeak,
 * spelled-out letters), so disguises the normalisation undoes do not move the score.
 */
export class LearnedClassifier {
  readonly model: LearnedClassifierModel;
  private decoded: Int8Array | undefined;
  private readonly remembered = new Map<string, LearnedScores>();

  /** @throws LlmopsError `invalid_input` when the model's shape is inconsistent. */
  constructor(model: LearnedClassifierModel) {
    const heads = model.labels.length;
    if (
      model.format !== 'llmops-hashed-linear/1' ||
      heads === 0 ||
      model.biases.length !== heads ||
      model.scales.length !== heads ||
      (model.dimension & (model.dimension - 1)) !== 0
    ) {
      throw new LlmopsError(
        'invalid_input',
        'learned classifier model: expected format llmops-hashed-linear/1, a power-of-two dimension and one bias and scale per label',
      );
    }
    this.model = model;
  }

  private weights(): Int8Array {
    if (!this.decoded) {
      const bytes = Buffer.from(this.model.weights, 'base64');
      if (bytes.length !== this.model.dimension * this.model.labels.length) {
        throw new LlmopsError(
          'invalid_input',
          `learned classifier model: expected ${this.model.dimension * this.model.labels.length} weight bytes, found ${bytes.length}`,
        );
      }
      this.decoded = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    return this.decoded;
  }

  /** The scores of one normalised piece of text. */
  private scoreNormalized(normalized: string): number[] {
    const { labels, biases, scales, dimension } = this.model;
    const heads = labels.length;
    const weights = this.weights();
    const sums = new Float64Array(heads);
    const features = hashedFeatures(normalized, dimension);
    for (let feature = 0; feature < features.indices.length; feature += 1) {
      const base = (features.indices[feature] as number) * heads;
      const value = features.values[feature] as number;
      for (let head = 0; head < heads; head += 1)
        sums[head] = (sums[head] as number) + (weights[base + head] as number) * value;
    }
    return labels.map((_, head) =>
      sigmoid((sums[head] as number) * (scales[head] as number) + (biases[head] as number)),
    );
  }

  /** The score of each label for a text: the highest over its windows of up to 600 characters (0 under three words). */
  scores(text: string): LearnedScores {
    const known = this.remembered.get(text);
    if (known) return known;
    const best = new Array<number>(this.model.labels.length).fill(0);
    for (const window of windowsOf(text)) {
      const normalized = normalizeForMatching(window);
      if (normalized.trim().split(' ').length < minWords) continue;
      this.scoreNormalized(normalized).forEach((score, head) => {
        if (score > (best[head] as number)) best[head] = score;
      });
    }
    const scores = Object.fromEntries(learnedClassifierLabels.map((label) => [label, 0])) as LearnedScores;
    this.model.labels.forEach((label, head) => {
      scores[label] = best[head] as number;
    });
    if (this.remembered.size >= rememberedTexts) this.remembered.delete(this.remembered.keys().next().value as string);
    this.remembered.set(text, scores);
    return scores;
  }
}

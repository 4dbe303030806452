import { LlmopsError } from '@llmops/kernel';
import { learnedClassifierLabels } from '../learned-classifier.js';
import type { LearnedClassifierLabel, LearnedScores } from '../learned-classifier.js';
import type { SentenceEncoder } from './sentence-encoder.js';
import { TensorFile } from '../../tensors/tensor-file.js';

/** Fewer words than this and a text is not scored (all scores 0), as in the n-gram classifier. */
const minWords = 3;

/** How many recent texts keep their scores (the harm and injection checks of one request read the same texts). */
const rememberedTexts = 32;

/**
 * The encoder classifier: one hidden layer (ReLU) and a sigmoid per label over the sentence encoder's vector,
 * trained by the team on its own texts (`tools/guardrails/experiments/embedding-classifier.py --model mlp`,
 * written by `quantise-encoder.py write-head`). Its labels are the learned classifier's (the five harm
 * categories and `injection`); its thresholds were chosen on the team's validation split.
 */
export class EncoderClassifier {
  /** Scores at and above which a label counts as found. */
  readonly thresholds: Readonly<Record<LearnedClassifierLabel, number>>;
  private readonly labels: LearnedClassifierLabel[];
  private readonly hidden: Float32Array;
  private readonly hiddenBias: Float32Array;
  private readonly out: Float32Array;
  private readonly outBias: Float32Array;
  private readonly remembered = new Map<string, LearnedScores>();

  /**
   * @param encoder the sentence encoder the head was trained on
   * @param headBytes the head's tensor file
   * @param name where the head came from, for errors
   * @throws LlmopsError `invalid_input` when the head names an unknown label or its shapes do not fit the encoder
   */
  constructor(
    readonly encoder: SentenceEncoder,
    headBytes: Uint8Array,
    name: string,
  ) {
    const file = new TensorFile(headBytes, name);
    const labels = file.settings['labels'];
    if (
      !Array.isArray(labels) ||
      !labels.every((label) => (learnedClassifierLabels as readonly unknown[]).includes(label))
    ) {
      throw new LlmopsError(
        'invalid_input',
        `${name}: expected labels among ${learnedClassifierLabels.join(', ')}, found ${JSON.stringify(labels)}`,
      );
    }
    this.labels = labels as LearnedClassifierLabel[];
    const hidden = file.tensor('hidden', 'float32');
    const out = file.tensor('out', 'float32');
    if (hidden.shape[0] !== 512 || out.shape[0] !== hidden.shape[1] || out.shape[1] !== this.labels.length) {
      throw new LlmopsError(
        'invalid_input',
        `${name}: expected 512 × h hidden weights and h × ${this.labels.length} output weights, found ${hidden.shape.join(' × ')} and ${out.shape.join(' × ')}`,
      );
    }
    this.hidden = hidden.values;
    this.hiddenBias = file.tensor('hidden_bias', 'float32').values;
    this.out = out.values;
    this.outBias = file.tensor('out_bias', 'float32').values;
    const thresholds = file.tensor('thresholds', 'float32').values;
    this.thresholds = Object.fromEntries(
      learnedClassifierLabels.map((label) => {
        const head = this.labels.indexOf(label);
        return [label, head < 0 ? Infinity : (thresholds[head] as number)];
      }),
    ) as Record<LearnedClassifierLabel, number>;
  }

  /** The score of each label for a text's sentence vector (0 for a label the head lacks). */
  scoresOf(vector: Float32Array): LearnedScores {
    const units = this.hiddenBias.length;
    const hidden = Float32Array.from(this.hiddenBias);
    for (let input = 0; input < vector.length; input += 1) {
      const value = vector[input] as number;
      for (let unit = 0; unit < units; unit += 1)
        hidden[unit] = (hidden[unit] as number) + value * (this.hidden[input * units + unit] as number);
    }
    const scores = Object.fromEntries(learnedClassifierLabels.map((label) => [label, 0])) as LearnedScores;
    this.labels.forEach((label, head) => {
      let sum = this.outBias[head] as number;
      for (let unit = 0; unit < units; unit += 1) {
        const value = hidden[unit] as number;
        if (value > 0) sum += value * (this.out[unit * this.labels.length + head] as number);
      }
      scores[label] = 1 / (1 + Math.exp(-sum));
    });
    return scores;
  }

  /**
   * The score of each label for a text (the last 32 texts are remembered); 0 for a text of fewer than three words,
   * which the lexicon judges (the head scores an empty text as self-harm: it never saw one).
   */
  scores(text: string): LearnedScores {
    const known = this.remembered.get(text);
    if (known) return known;
    const scores =
      text.trim().split(/\s+/).length < minWords
        ? (Object.fromEntries(learnedClassifierLabels.map((label) => [label, 0])) as LearnedScores)
        : this.scoresOf(this.encoder.encode(text));
    if (this.remembered.size >= rememberedTexts) this.remembered.delete(this.remembered.keys().next().value as string);
    this.remembered.set(text, scores);
    return scores;
  }
}

import type { GuardrailFinding } from './guardrail-verdict.js';
import { LearnedClassifier } from './learned-classifier.js';
import type { LearnedClassifierLabel, LearnedScores } from './learned-classifier.js';
import type { EncoderClassifier } from './sentence-encoder/encoder-classifier.js';
import { encoderClassifierAt } from './sentence-encoder/encoder-files.js';
import { shippedClassifierModel } from './shipped-classifier-model.js';
import { readingsOf } from './text-readings.js';
import type { TextReading } from './text-readings.js';

/** The learned classifier as a check uses it: the model, and the thresholds that replace the model's own. */
export interface LearnedCheck {
  classifier: LearnedClassifier;
  thresholds: Partial<Record<LearnedClassifierLabel, number>>;
  /** The opt-in second stage, asked only when the n-gram classifier finds nothing. */
  encoder?: EncoderClassifier;
}

// The shipped model is immutable and the same for every policy and engine: it is decoded once per
// process, on first use, rather than once per engine (its weights are about a megabyte).
let shipped: LearnedClassifier | undefined;

/** The classifier the serving package ships (`shipped-classifier-model.ts`), created on first call. */
export function shippedLearnedClassifier(): LearnedClassifier {
  shipped ??= new LearnedClassifier(shippedClassifierModel);
  return shipped;
}

/**
 * The learned check a policy's settings describe: the shipped classifier with the policy's thresholds,
 * or none when the settings say `enabled: false`. Absent settings mean on, with the model's thresholds.
 */
export function learnedCheckOf(
  settings:
    | {
        enabled?: boolean;
        thresholds?: Partial<Record<LearnedClassifierLabel, number>>;
        encoder?: { weights: string } | undefined;
      }
    | undefined,
  classifier: LearnedClassifier = shippedLearnedClassifier(),
): LearnedCheck | undefined {
  if (settings?.enabled === false) return undefined;
  return {
    classifier,
    thresholds: { ...(settings?.thresholds ?? {}) },
    ...(settings?.encoder ? { encoder: encoderClassifierAt(settings.encoder.weights) } : {}),
  };
}

/**
 * What the learned classifier finds in a text for some labels: one finding per label whose score reaches
 * its threshold in one of the text's readings (as written, and its decoded forms: see `readingsOf`), named
 * `classifier:<label>`, with the score (three decimals) and the decoding when there was one. When it finds
 * nothing and the check has an encoder, the encoder's findings (`encoder:<label>`) in `encoderReadings` (the
 * same readings unless given: a passage adds its sentences, whose meaning a whole paragraph's vector dilutes)
 * are the answer.
 */
export function learnedFindings(
  check: LearnedCheck,
  readings: readonly TextReading[],
  {
    labels,
    encoderReadings = readings,
  }: { labels: readonly LearnedClassifierLabel[]; encoderReadings?: readonly TextReading[] },
): GuardrailFinding[] {
  const found = findingsOf(
    {
      rule: 'classifier',
      scores: (text) => check.classifier.scores(text),
      thresholdOf: (label) => check.thresholds[label] ?? check.classifier.model.thresholds[label],
    },
    readings,
    labels,
  );
  if (found.length > 0 || !check.encoder) return found;
  const encoder = check.encoder;
  return findingsOf(
    { rule: 'encoder', scores: (text) => encoder.scores(text), thresholdOf: (label) => encoder.thresholds[label] },
    encoderReadings,
    labels,
  );
}

function findingsOf(
  scorer: {
    rule: string;
    scores: (text: string) => LearnedScores;
    thresholdOf: (label: LearnedClassifierLabel) => number;
  },
  readings: readonly TextReading[],
  labels: readonly LearnedClassifierLabel[],
): GuardrailFinding[] {
  const findings: GuardrailFinding[] = [];
  const pending = new Set(labels);
  for (const reading of readings) {
    if (pending.size === 0) break;
    const scores = scorer.scores(reading.text);
    for (const label of [...pending]) {
      if (scores[label] < scorer.thresholdOf(label)) continue;
      pending.delete(label);
      findings.push({
        category: label === 'injection' ? 'prompt_injection' : label,
        rule: `${scorer.rule}:${label}`,
        score: Math.round(scores[label] * 1000) / 1000,
        ...(reading.decoded.length > 0 ? { decoded: reading.decoded.join('+') } : {}),
      });
    }
  }
  return findings;
}

/**
 * The learned check of an injection check's settings (`{enabled, threshold, encoder}`): the injection head only,
 * with the encoder stage when the settings name its weights (the same loaded encoder as every other check's).
 */
export function learnedInjectionCheckOf(
  settings:
    { enabled?: boolean; threshold?: number | undefined; encoder?: { weights: string } | undefined } | undefined,
): LearnedCheck | undefined {
  return learnedCheckOf({
    ...(settings?.enabled === undefined ? {} : { enabled: settings.enabled }),
    thresholds: settings?.threshold === undefined ? {} : { injection: settings.threshold },
    ...(settings?.encoder ? { encoder: settings.encoder } : {}),
  });
}

/** The `learned` option of a `HarmClassifier` for a harmful check's `classifier` settings (none when disabled). */
export function learnedHarmOption(settings: Parameters<typeof learnedCheckOf>[0]): { learned?: LearnedCheck } {
  const learned = learnedCheckOf(settings);
  return learned ? { learned } : {};
}

/**
 * The learned injection heads on a long text read in pieces (a retrieved passage, an answer): the n-gram head reads
 * the text and its `pieces` (see `passageUnitsOf`), the encoder the text and its `sentences` only (on word windows
 * it flagged held-out help paragraphs: wiki/Serving.md, "Seventh pass").
 */
export function learnedInjectionInPieces(
  check: LearnedCheck,
  text: string,
  { pieces, sentences }: { pieces: readonly string[]; sentences: readonly string[] },
): GuardrailFinding[] {
  const readingsOfAll = (texts: readonly string[]) => texts.flatMap((piece) => readingsOf(piece));
  return learnedFindings(check, readingsOfAll([text, ...pieces]), {
    labels: ['injection'],
    encoderReadings: readingsOfAll([text, ...sentences]),
  });
}

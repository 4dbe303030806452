import type { RequestEvent } from '../request-event.js';
import type { DriftFeature } from './feature-drift.js';

/** A feature left out of a drift report, and why (no value on a side, or the events do not hold it). */
export interface SkippedFeature {
  name: string;
  reason: string;
}

/** The features a drift report compares, and those it could not. */
export interface DriftFeatureSet {
  features: DriftFeature[];
  skipped: SkippedFeature[];
}

const questionTextMissing =
  'the question text is not stored (only its hash; set LLMOPS_MONITORING_QUESTION_TEXT=true to keep it)';

interface NumericField {
  name: string;
  read: (event: RequestEvent) => number | undefined;
  absent: string;
}

const numericFields: readonly NumericField[] = [
  { name: 'input_tokens', read: (event) => event.inputTokens, absent: 'no event holds input tokens' },
  { name: 'output_tokens', read: (event) => event.outputTokens, absent: 'no event holds output tokens' },
  { name: 'latency_ms', read: (event) => event.latencyMs, absent: 'no event holds a latency' },
  {
    name: 'top_retrieval_score',
    read: (event) => event.topRetrievalScore,
    absent: 'no event holds a retrieval score (not a rag model)',
  },
  {
    name: 'question_length',
    read: (event) => (event.question === undefined ? undefined : event.question.length),
    absent: questionTextMissing,
  },
  {
    name: 'online_relevancy',
    read: (event) => event.scores?.['contextual_relevancy'],
    absent: 'no event holds an online contextual_relevancy score (online evaluation off, or nothing sampled)',
  },
  {
    name: 'answer_length',
    read: (event) => event.answerLength,
    absent: 'no event holds an answer length (no answer went out, or the events predate it)',
  },
];

interface CategoricalField {
  name: string;
  read: (event: RequestEvent) => string | undefined;
  absent: string;
}

/** The harm or finding categories guardrails acted on, sorted and joined (`email+violence`), or `none`. */
function guardrailCategories(event: RequestEvent): string {
  const categories = [...new Set(event.guardrails.map((verdict) => verdict.category))].sort();
  return categories.length === 0 ? 'none' : categories.join('+');
}

const categoricalFields: readonly CategoricalField[] = [
  { name: 'guardrail_category', read: guardrailCategories, absent: '' },
  { name: 'refused', read: (event) => String(event.refused), absent: '' },
  {
    name: 'cache_status',
    read: (event) => event.cache,
    absent: 'no event holds a cache status (no version with the response cache on was served)',
  },
  { name: 'status', read: (event) => String(event.status), absent: '' },
];

function present<Value>(values: ReadonlyArray<Value | undefined>): Value[] {
  return values.filter((value): value is Value => value !== undefined);
}

/**
 * The drift features of two windows of request events: numeric (input and output tokens, latency, top retrieval
 * score, question length, the online contextual relevancy score of sampled requests, the answer's length in
 * characters), categorical (guardrail categories, refused, cache status, HTTP status) and text (the
 * question, only where events hold it). A feature no event of either window holds is skipped with the reason.
 */
export function eventDriftFeatures(
  reference: readonly RequestEvent[],
  current: readonly RequestEvent[],
): DriftFeatureSet {
  const features: DriftFeature[] = [];
  const skipped: SkippedFeature[] = [];
  for (const field of numericFields) {
    const referenceValues = present(reference.map(field.read));
    const currentValues = present(current.map(field.read));
    if (referenceValues.length === 0 && currentValues.length === 0)
      skipped.push({ name: field.name, reason: field.absent });
    else features.push({ name: field.name, kind: 'numeric', reference: referenceValues, current: currentValues });
  }
  for (const field of categoricalFields) {
    const referenceValues = reference.map(field.read);
    const currentValues = current.map(field.read);
    if (referenceValues.every((value) => value === undefined) && currentValues.every((value) => value === undefined))
      skipped.push({ name: field.name, reason: field.absent });
    else
      features.push({
        name: field.name,
        kind: 'categorical',
        reference: referenceValues.map((value) => value ?? 'unknown'),
        current: currentValues.map((value) => value ?? 'unknown'),
      });
  }
  features.push(...questionFeatures(present(reference.map((event) => event.question)), current, skipped));
  return { features, skipped };
}

function questionFeatures(
  referenceQuestions: readonly string[],
  current: readonly RequestEvent[],
  skipped: SkippedFeature[],
): DriftFeature[] {
  const currentQuestions = present(current.map((event) => event.question));
  if (referenceQuestions.length === 0 && currentQuestions.length === 0) {
    skipped.push({ name: 'question', reason: questionTextMissing });
    return [];
  }
  return [{ name: 'question', kind: 'text', reference: referenceQuestions, current: currentQuestions }];
}

/**
 * The drift features of a reference dataset's inputs (the questions of an evaluation dataset) against a window of
 * request events. A dataset holds no tokens, latency or verdicts, so only the question's text and its length are
 * compared, and only with events that hold the question's text; everything else is skipped with the reason.
 */
export function inputDriftFeatures(
  referenceInputs: readonly string[],
  current: readonly RequestEvent[],
): DriftFeatureSet {
  const skipped: SkippedFeature[] = [];
  const features: DriftFeature[] = [];
  const currentQuestions = present(current.map((event) => event.question));
  if (currentQuestions.length === 0 && current.length > 0) {
    skipped.push({ name: 'question_length', reason: questionTextMissing });
    skipped.push({ name: 'question', reason: questionTextMissing });
  } else {
    features.push({
      name: 'question_length',
      kind: 'numeric',
      reference: referenceInputs.map((input) => input.length),
      current: currentQuestions.map((question) => question.length),
    });
    features.push(...questionFeatures(referenceInputs, current, skipped));
  }
  const datasetHasNo = 'a dataset reference holds only inputs';
  for (const name of numericFields.map((field) => field.name).filter((name) => name !== 'question_length'))
    skipped.push({ name, reason: datasetHasNo });
  for (const name of ['guardrail_category', 'refused', 'cache_status', 'status'])
    skipped.push({ name, reason: datasetHasNo });
  return { features, skipped };
}

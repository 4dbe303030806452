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
  /**
   * The categories an event counts under: one for most fields, each of them once for a multi-valued one; undefined
   * when the event does not hold the field.
   */
  read: (event: RequestEvent) => readonly string[] | undefined;
  /** What an event without the field counts as when others hold it; null leaves such events out of the sample. */
  missing: string | null;
  absent: string;
}

/** The harm or finding categories guardrails acted on, sorted and joined (`email+violence`), or `none`. */
function guardrailCategories(event: RequestEvent): string {
  const categories = [...new Set(event.guardrails.map((verdict) => verdict.category))].sort();
  return categories.length === 0 ? 'none' : categories.join('+');
}

const one = (value: string | undefined): readonly string[] | undefined => (value === undefined ? undefined : [value]);

/**
 * The sources an answer cited, each counted once (an answer built on two documents uses both; its first citation
 * alone would mostly repeat `topic`), or `none` for a RAG answer citing nothing (a refusal stays visible).
 */
function citedSources(event: RequestEvent): readonly string[] | undefined {
  if (event.citedSources === undefined) return undefined;
  return event.citedSources.length === 0 ? ['none'] : event.citedSources;
}

const notRag = 'no event holds a topic or cited sources (not a rag model, or the events predate them)';

const categoricalFields: readonly CategoricalField[] = [
  { name: 'guardrail_category', read: (event) => [guardrailCategories(event)], missing: null, absent: '' },
  { name: 'refused', read: (event) => [String(event.refused)], missing: null, absent: '' },
  {
    name: 'cache_status',
    read: (event) => one(event.cache),
    missing: 'unknown',
    absent: 'no event holds a cache status (no version with the response cache on was served)',
  },
  { name: 'status', read: (event) => [String(event.status)], missing: null, absent: '' },
  // RAG fields: an event of a model without retrieval is no observation of them (traffic of every model mixes both).
  { name: 'topic', read: (event) => one(event.topic), missing: null, absent: notRag },
  { name: 'cited_source', read: citedSources, missing: null, absent: notRag },
];

/** The categorical sample of a field over events: each event's categories, in order. */
function categoricalSample(field: CategoricalField, events: readonly RequestEvent[]): string[] {
  return events.flatMap((event) => field.read(event) ?? (field.missing === null ? [] : [field.missing]));
}

function present<Value>(values: ReadonlyArray<Value | undefined>): Value[] {
  return values.filter((value): value is Value => value !== undefined);
}

/**
 * The drift features of two windows of request events: numeric (input and output tokens, latency, top retrieval
 * score, question length, the online contextual relevancy score of sampled requests, the answer's length in
 * characters), categorical (guardrail categories, refused, cache status, HTTP status, and for RAG events the topic
 * and each cited source) and text (the question, only where events hold it). A feature no event of either window holds is skipped with the reason.
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
    const held = (event: RequestEvent) => field.read(event) !== undefined;
    if (!reference.some(held) && !current.some(held)) skipped.push({ name: field.name, reason: field.absent });
    else
      features.push({
        name: field.name,
        kind: 'categorical',
        reference: categoricalSample(field, reference),
        current: categoricalSample(field, current),
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
  for (const name of categoricalFields.map((field) => field.name)) skipped.push({ name, reason: datasetHasNo });
  return { features, skipped };
}

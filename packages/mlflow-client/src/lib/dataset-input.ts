import { LlmopsError } from '@llmops/kernel';
import { z } from 'zod';
import { checkLength, mlflowLimits } from './input-validation.js';
import { tagList, text } from './wire-schemas.js';

/** The input tag MLflow reads as a dataset's role in a run (`training`, `evaluation`…). */
export const datasetContextTag = 'mlflow.data.context';

/** A dataset to record as an input of a run (what MLflow's UI lists under "Datasets used"). */
export interface DatasetInput {
  /** The dataset's name, at most 500 characters. */
  name: string;
  /** What identifies this version of the dataset among datasets of the same name, at most 36 characters. */
  digest: string;
  /** The kind of source: `local`, `s3`, `http`, `code`… as MLflow's dataset sources name themselves, at most 36 characters. */
  sourceType: string;
  /** The source's description, usually JSON such as `{"uri": "data/eval.jsonl"}`, at most 65 535 characters. */
  source: string;
  /** The dataset's schema (MLflow writes JSON), at most 1 048 575 characters. */
  schema?: string;
  /** A summary of the dataset (MLflow writes JSON such as `{"num_rows": 101}`), at most 16 777 215 characters. */
  profile?: string;
  /** The dataset's role in the run (`training`, `evaluation`…), sent as the `mlflow.data.context` input tag, at most 500 characters. */
  context?: string;
}

/** A dataset input read back from a run. */
export type RunDatasetInput = z.output<typeof datasetInputSchema>;

/** The wire shape of one of a run's dataset inputs, read into camelCase (`context` from the `mlflow.data.context` tag). */
export const datasetInputSchema = z
  .object({
    dataset: z.object({
      name: text,
      digest: text,
      source_type: text,
      source: text,
      schema: z.string().optional(),
      profile: z.string().optional(),
    }),
    tags: tagList,
  })
  .transform((wire) => ({
    name: wire.dataset.name,
    digest: wire.dataset.digest,
    sourceType: wire.dataset.source_type,
    source: wire.dataset.source,
    schema: wire.dataset.schema,
    profile: wire.dataset.profile,
    context: wire.tags[datasetContextTag],
    tags: wire.tags,
  }));

/** The wire shape of a run's inputs (MLflow omits the object or its lists when empty). */
export const runInputsSchema = z
  .object({ dataset_inputs: z.array(datasetInputSchema).optional().default([]) })
  .optional()
  .default({ dataset_inputs: [] })
  .transform((wire) => ({ datasetInputs: wire.dataset_inputs }));

/** One dataset input as `runs/log-inputs` takes it. */
export interface WireDatasetInput {
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
  tags: { key: string; value: string }[];
}

function checkFilled(value: unknown, options: { field: string; maximum: number; expected: string }): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new LlmopsError(
      'invalid_input',
      `${options.field} is ${typeof value === 'string' ? 'empty' : typeof value}; expected ${options.expected}`,
    );
  }
  checkLength(value, { field: options.field, maximum: options.maximum });
}

/**
 * Checks a dataset input against MLflow 3.17's limits (mlflow/utils/validation.py) and writes it in
 * the wire format of `runs/log-inputs`.
 * @param field where the input sits in the call, for messages (`datasets[0]`).
 * @throws LlmopsError `invalid_input` naming the field that is missing or too long.
 */
export function toWireDatasetInput(input: DatasetInput, field: string): WireDatasetInput {
  if (typeof input !== 'object' || input === null) {
    throw new LlmopsError(
      'invalid_input',
      `${field} is ${input === null ? 'null' : typeof input}; expected {name, digest, sourceType, source}`,
    );
  }
  checkFilled(input.name, {
    field: `${field}.name`,
    maximum: mlflowLimits.datasetNameLength,
    expected: 'the dataset name',
  });
  checkFilled(input.digest, {
    field: `${field}.digest`,
    maximum: mlflowLimits.datasetDigestLength,
    expected: 'a short hash of the content',
  });
  checkFilled(input.sourceType, {
    field: `${field}.sourceType`,
    maximum: mlflowLimits.datasetSourceTypeLength,
    expected: 'a source type such as "local" or "s3"',
  });
  checkFilled(input.source, {
    field: `${field}.source`,
    maximum: mlflowLimits.datasetSourceLength,
    expected: 'a description such as {"uri": "…"}',
  });
  if (input.schema !== undefined)
    checkLength(input.schema, { field: `${field}.schema`, maximum: mlflowLimits.datasetSchemaLength });
  if (input.profile !== undefined)
    checkLength(input.profile, { field: `${field}.profile`, maximum: mlflowLimits.datasetProfileLength });
  const tags: { key: string; value: string }[] = [];
  if (input.context !== undefined) {
    checkLength(input.context, { field: `${field}.context`, maximum: mlflowLimits.inputTagValueLength });
    tags.push({ key: datasetContextTag, value: input.context });
  }
  return {
    dataset: {
      name: input.name,
      digest: input.digest,
      source_type: input.sourceType,
      source: input.source,
      ...(input.schema === undefined ? {} : { schema: input.schema }),
      ...(input.profile === undefined ? {} : { profile: input.profile }),
    },
    tags,
  };
}

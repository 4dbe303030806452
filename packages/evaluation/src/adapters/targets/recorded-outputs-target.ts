import { jsonSyntaxProblem, LlmopsError, parseWithSchema } from '@llmops/kernel';
import { z } from 'zod';
import type { Dataset } from '../../domain/dataset.js';
import type { TargetDescription } from '../../domain/evaluation-run.js';
import type { Example } from '../../domain/example.js';
import type { Target, TargetOutput } from '../../ports.js';

/** One recorded answer, as a line of a recorded-outputs JSONL file. */
export const recordedOutputSchema = z.strictObject({
  /** The id of the dataset example it answers. */
  id: z.union([z.string().min(1), z.number().transform(String)]),
  output: z.string(),
  retrieval_context: z.array(z.string()).optional(),
  latency_ms: z.number().nonnegative().optional(),
  /** `{input_tokens, output_tokens}`, or OpenAI's `{prompt_tokens, completion_tokens}`. */
  usage: z
    .object({
      input_tokens: z.number().int().nonnegative().optional(),
      output_tokens: z.number().int().nonnegative().optional(),
      prompt_tokens: z.number().int().nonnegative().optional(),
      completion_tokens: z.number().int().nonnegative().optional(),
    })
    .optional(),
  cost_usd: z.number().nonnegative().optional(),
  model: z.string().optional(),
});

/** One recorded answer. */
export type RecordedOutput = z.infer<typeof recordedOutputSchema>;

function toTargetOutput(record: RecordedOutput): TargetOutput {
  const usage = record.usage
    ? {
        inputTokens: record.usage.input_tokens ?? record.usage.prompt_tokens ?? 0,
        outputTokens: record.usage.output_tokens ?? record.usage.completion_tokens ?? 0,
      }
    : null;
  return {
    output: record.output,
    ...(record.retrieval_context ? { retrievalContext: record.retrieval_context } : {}),
    usage,
    // Recorded outputs cost nothing now: their latency is what was recorded, 0 when it was not.
    latencyMs: record.latency_ms ?? 0,
    ...(record.cost_usd === undefined ? {} : { costUsd: record.cost_usd }),
    ...(record.model === undefined ? {} : { model: record.model }),
  };
}

/**
 * Scores outputs produced elsewhere: answers recorded by id (a JSONL file of {@link RecordedOutput},
 * or the `output` and `retrieval_context` fields of the dataset's own examples). An example without
 * a recorded answer fails with `not_found`, recorded on that example.
 */
export class RecordedOutputsTarget implements Target {
  readonly description: TargetDescription;

  constructor(
    private readonly outputs: ReadonlyMap<string, RecordedOutput>,
    description: Partial<TargetDescription> = {},
  ) {
    this.description = { kind: 'recorded', name: 'recorded outputs', ...description };
  }

  /**
   * Reads a recorded-outputs JSONL file's text.
   * @throws LlmopsError `invalid_input` naming the file, line and field of a bad record or a duplicate id.
   */
  static parse(text: string, source: string): RecordedOutputsTarget {
    const outputs = new Map<string, RecordedOutput>();
    text.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (cause) {
        throw new LlmopsError(
          'invalid_input',
          `${source}:${index + 1}: ${jsonSyntaxProblem(cause)}; expected one JSON object per line`,
          { cause },
        );
      }
      const output = parseWithSchema(recordedOutputSchema, value, { where: `${source}:${index + 1}` });
      if (outputs.has(output.id))
        throw new LlmopsError('invalid_input', `${source}:${index + 1}: id: "${output.id}" is recorded twice`);
      outputs.set(output.id, output);
    });
    return new RecordedOutputsTarget(outputs, { name: source, params: { outputs: source } });
  }

  /** The answers recorded in the dataset itself (`output`, `retrieval_context`). */
  static fromDataset(dataset: Dataset): RecordedOutputsTarget {
    const outputs = new Map<string, RecordedOutput>();
    for (const example of dataset.examples) {
      if (example.output === undefined) continue;
      outputs.set(example.id, {
        id: example.id,
        output: example.output,
        ...(example.retrieval_context ? { retrieval_context: example.retrieval_context } : {}),
      });
    }
    return new RecordedOutputsTarget(outputs, {
      name: `${dataset.name} (recorded in the dataset)`,
      params: { outputs: dataset.source },
    });
  }

  async invoke(example: Example): Promise<TargetOutput> {
    const record = this.outputs.get(example.id);
    if (!record) throw new LlmopsError('not_found', `no recorded output for example "${example.id}"`);
    return toTargetOutput(record);
  }
}

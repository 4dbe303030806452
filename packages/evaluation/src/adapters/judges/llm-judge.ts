import { contentText, LlmopsError, safeParseWithSchema, withRetry } from '@llmops/kernel';
import type { ChatModel, RetryPolicy } from '@llmops/kernel';
import { z } from 'zod';
import { harmCategories } from '../../domain/judgement.js';
import type { JudgeAnswer, JudgeTask, JudgeTaskKind } from '../../domain/judgement.js';
import type { Judge, JudgeCallOptions } from '../../ports.js';
import { judgePrompt, judgePromptVersion } from './llm-judge-prompts.js';

/** Settings of {@link LlmJudge}. */
export interface LlmJudgeOptions {
  /** Attempts per task when the model's output is not valid JSON of the schema; 3 by default. */
  maxAttempts?: number;
  /** Delay policy between those attempts (kernel's `withRetry`); no delay by default. */
  retryPolicy?: Partial<Omit<RetryPolicy, 'maxAttempts'>>;
  /** Timeout of one model call in ms; 60 000 by default. */
  timeoutMs?: number;
}

const verdictsAnswer = z.object({
  verdicts: z.array(z.object({ verdict: z.enum(['yes', 'no', 'idk']), reason: z.string() })),
});

const binaryVerdictsAnswer = z.object({
  verdicts: z.array(z.object({ verdict: z.enum(['yes', 'no']), reason: z.string() })),
});

const classifiedStatements = z.array(
  z.object({ statement: z.string(), verdict: z.enum(['yes', 'no']), reason: z.string() }),
);

const answerSchemas = {
  statements: z.object({ statements: z.array(z.string()) }),
  relevance: verdictsAnswer,
  support: verdictsAnswer,
  usefulness: verdictsAnswer,
  contradiction: binaryVerdictsAnswer,
  correctness: z.object({ answer_statements: classifiedStatements, reference_statements: classifiedStatements }),
  harm: z.object({ harmful: z.boolean(), category: z.enum(harmCategories).nullable(), reason: z.string() }),
  refusal: z.object({ refused: z.boolean(), reason: z.string() }),
} as const;

function expectedVerdicts(task: JudgeTask): { count: number; items: string[] } | null {
  if (task.kind === 'relevance') return { count: task.statements.length, items: task.statements };
  if (task.kind === 'support') return { count: task.claims.length, items: task.claims };
  if (task.kind === 'usefulness' || task.kind === 'contradiction')
    return { count: task.contexts.length, items: task.contexts };
  return null;
}

/**
 * The LLM judge: asks any ChatModel each task with a JSON-schema constrained output
 * (`response_format: json_schema`, strict), at temperature 0. Output that is not JSON, does not match
 * the schema, or gives the wrong number of verdicts is asked again, up to `maxAttempts`; after that
 * the task fails with `upstream_error` and the metric records the error for that example (it is
 * never silently scored). Model failures (after the provider's own retries) fail the task at once.
 */
export class LlmJudge implements Judge {
  readonly name: string;
  readonly fingerprint: string;
  private readonly maxAttempts: number;

  constructor(
    private readonly model: ChatModel,
    private readonly options: LlmJudgeOptions = {},
  ) {
    this.name = `${model.provider}/${model.modelId}`;
    this.fingerprint = `llm:${this.name} ${judgePromptVersion}`;
    this.maxAttempts = options.maxAttempts ?? 3;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new LlmopsError(
        'invalid_input',
        `LLM judge: maxAttempts is ${this.maxAttempts}; expected a whole number >= 1`,
      );
    }
  }

  async judge<K extends JudgeTaskKind>(
    task: Extract<JudgeTask, { kind: K }>,
    options: JudgeCallOptions = {},
  ): Promise<JudgeAnswer<K>> {
    const prompt = judgePrompt(task);
    const problems: string[] = [];
    try {
      return await withRetry(
        async () => {
          const text = await this.ask(prompt, options);
          const parsed = this.parse(task, text);
          if (typeof parsed === 'string') {
            problems.push(parsed);
            throw new LlmopsError('upstream_error', parsed, { retryable: true });
          }
          return parsed as JudgeAnswer<K>;
        },
        {
          policy: { baseDelayMs: 0, maxDelayMs: 1_000, ...this.options.retryPolicy, maxAttempts: this.maxAttempts },
          signal: options.signal,
        },
      );
    } catch (error) {
      const failure = LlmopsError.fromUnknown(error);
      if (problems.length === 0 || options.signal?.aborted) throw failure;
      throw new LlmopsError(
        'upstream_error',
        `judge ${this.name} gave invalid output for a ${task.kind} task ${problems.length} time(s); last: ${problems[problems.length - 1]}`,
        { cause: failure, retryable: false, details: { task: task.kind, problems } },
      );
    }
  }

  private async ask(prompt: ReturnType<typeof judgePrompt>, options: JudgeCallOptions): Promise<string> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      const completion = await this.model.generate(
        {
          messages: [
            { role: 'system', content: prompt.system },
            { role: 'user', content: prompt.user },
          ],
          temperature: 0,
          response_format: {
            type: 'json_schema',
            json_schema: { name: prompt.schemaName, strict: true, schema: prompt.schema },
          },
        },
        { signal },
      );
      return contentText(completion.choices[0]?.message.content ?? '');
    } catch (error) {
      // The provider already retried what was worth retrying; a failure here ends the task.
      const failure = LlmopsError.fromUnknown(error);
      throw new LlmopsError(failure.code, `judge ${this.name}: ${failure.message}`, {
        cause: failure,
        retryable: false,
      });
    }
  }

  /** The parsed answer, or a sentence saying what is wrong with the text. */
  private parse(task: JudgeTask, text: string): JudgeAnswer<JudgeTaskKind> | string {
    const trimmed = text.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return `not JSON: ${JSON.stringify(trimmed.slice(0, 80))}`;
    }
    const result = safeParseWithSchema(answerSchemas[task.kind], value, {
      where: `does not match the ${task.kind} schema`,
      code: 'upstream_error',
    });
    if (!result.success) return result.error.message;
    const expected = expectedVerdicts(task);
    if (expected) {
      const verdicts = (result.data as z.infer<typeof verdictsAnswer>).verdicts;
      if (verdicts.length !== expected.count) return `${verdicts.length} verdicts for ${expected.count} items`;
      return {
        verdicts: verdicts.map((verdict, index) => ({
          statement: expected.items[index] as string,
          verdict: verdict.verdict,
          reason: verdict.reason,
        })),
      };
    }
    if (task.kind === 'correctness') {
      const data = result.data as z.infer<(typeof answerSchemas)['correctness']>;
      const kept = (items: z.infer<typeof classifiedStatements>) =>
        items.map((item) => ({ ...item, statement: item.statement.trim() })).filter((item) => item.statement !== '');
      return { basis: 'statements', output: kept(data.answer_statements), reference: kept(data.reference_statements) };
    }
    if (task.kind === 'statements') {
      const statements = (result.data as { statements: string[] }).statements
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return { statements };
    }
    return result.data as JudgeAnswer<JudgeTaskKind>;
  }
}

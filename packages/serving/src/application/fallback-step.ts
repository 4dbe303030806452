import { LlmopsError } from '@llmops/kernel';
import type { ChatCompletionChunk } from '@llmops/kernel';
import type { ServableModel } from '../ports.js';
import { assertNoFallbackCycle, versionOf } from './fallback-chain.js';
import type { FallbackCall, FallbackTarget, ServedChatCompletion, ServedFallback } from './pipeline.js';
import type { ServedEmbeddingResponse } from './served-embedding-request.js';
import type { ChunkStream, ServingStep, ServingStepContext, ServingStepFactory, StepCall } from './serving-step.js';
import type { FallbackFacts, TraceAttributes } from './trace-recorder.js';
import { withinSpan } from './trace-recorder.js';

/** How the `fallbacks` step reaches other versions; the serving service provides it (it resolves and builds pipelines). */
export interface FallbackTargets {
  /**
   * The version a fallback reference points to now.
   * @throws LlmopsError `not_found` or `invalid_input` as the model resolver does.
   */
  resolve(reference: string): Promise<ServableModel>;
  /**
   * That version's pipeline as a fallback (built once per version, like any pipeline).
   * @throws LlmopsError what building its pipeline throws.
   */
  target(model: ServableModel): Promise<FallbackTarget>;
}

/**
 * Whether a failure is one a fallback may answer: a retryable error (an upstream 5xx or 429, a timeout, a
 * connection failure, an open circuit breaker; the provider's own retries already spent), while the caller is
 * still waiting. Errors of the request itself (400, 401, 403, 404, a guardrail block) are not.
 */
export function fallsBack(error: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted !== true && LlmopsError.fromUnknown(error).retryable;
}

/** One line per failed fallback for the final error: `b/2 upstream_error`, `c@champion not_found`. */
type FailedAttempt = string;

/**
 * The `fallbacks` serving step (innermost in `defaultStepOrder`, around the core's provider call). When the
 * version's own answer fails with a retryable error before anything was streamed, it tries the references of
 * the version's `fallbacks`, in order, each with its own pipeline (its prompt, its retrieval, its provider;
 * the caller's guardrails still apply once around the whole), and a fallback's own fallbacks after it, depth
 * first; no version is tried twice in one request. The answer says who answered (`model`,
 * `llmops.fallback: {from, to, reason}`); the trace has an `attempt` span per version tried. When none
 * answers, the first failure is thrown, its message listing what was tried. A stream that already started is
 * never handed over: a failure midway ends it with an error.
 */
export class FallbackStep implements ServingStep {
  readonly name = 'fallbacks';
  private readonly targets: FallbackTargets;

  constructor(targets: FallbackTargets) {
    this.targets = targets;
  }

  async wrapComplete(call: StepCall<ServedChatCompletion>): Promise<ServedChatCompletion> {
    const { result, served } = await this.answer(call, (target, fallbackCall) =>
      ableTo(target, 'complete')(call.request, fallbackCall),
    );
    return served ? { ...result, llmops: { ...result.llmops, fallback: served } } : result;
  }

  async wrapStream(call: StepCall<ChunkStream>): Promise<ChunkStream> {
    const { result, served } = await this.answer(call, (target, fallbackCall) =>
      ableTo(target, 'stream')(call.request, fallbackCall),
    );
    return served ? withFallback(result, served) : result;
  }

  /** Embeddings: another version's embedder answers when this one's fails with a retryable error. */
  async wrapEmbed(call: StepCall<ServedEmbeddingResponse>): Promise<ServedEmbeddingResponse> {
    const { result, served } = await this.answer(call, (target, fallbackCall) =>
      ableTo(target, 'embed')(call.request, fallbackCall),
    );
    return served ? { ...result, llmops: { ...result.llmops, fallback: served } } : result;
  }

  /**
   * The version's own answer, else the first fallback's that answers. `served` is set only by the outermost
   * `fallbacks` step of the request (a fallback's own step leaves telling the client to it).
   */
  private async answer<Result>(
    call: StepCall<Result>,
    run: (target: FallbackTarget, fallbackCall: FallbackCall) => Promise<Result>,
  ): Promise<{ result: Result; served?: ServedFallback }> {
    if (call.model.fallbacks.length === 0) return { result: await call.next() };
    const { recorder, signal } = call.options;
    const version = versionOf(call.model);
    // A fallback's own step runs inside the attempt span the outer step opened for it.
    const outermost = recorder.facts.fallback === undefined;
    const span = outermost ? recorder.start('attempt') : undefined;
    const subject = recorder.subject;
    let first: LlmopsError;
    try {
      const result = await withinSpan(span, () => call.next());
      span?.end({ attempt: 0, model_version: version, outcome: 'answered' });
      return { result };
    } catch (error) {
      first = LlmopsError.fromUnknown(error);
      span?.end({ attempt: 0, model_version: version, outcome: 'failed', 'error.code': first.code }, 'error');
      if (!fallsBack(error, signal)) throw error;
    }
    const facts: FallbackFacts = (recorder.facts.fallback ??= { from: version, reason: first.code, tried: [version] });
    const failed: FailedAttempt[] = [];
    for (const reference of call.model.fallbacks) {
      if (signal?.aborted) break;
      const attempt = recorder.start('attempt');
      const base: TraceAttributes = { attempt: facts.tried.length, reference, fallback_of: version };
      let model: ServableModel | undefined;
      try {
        model = await this.targets.resolve(reference);
        const candidate = versionOf(model);
        if (facts.tried.includes(candidate)) {
          attempt.end({ ...base, model_version: candidate, outcome: 'skipped (already tried)' });
          continue;
        }
        facts.tried.push(candidate);
        const target = await this.targets.target(model);
        const result = await attempt.within(() => run(target, { options: call.options, response: call.response }));
        facts.answeredBy ??= { name: model.name, version: model.version };
        attempt.end({ ...base, model_version: candidate, outcome: 'answered' });
        if (!outermost) return { result };
        const to = `${facts.answeredBy.name}/${facts.answeredBy.version}`;
        return { result, served: { from: facts.from, to, reason: facts.reason } };
      } catch (error) {
        const code = LlmopsError.fromUnknown(error).code;
        attempt.end(
          { ...base, ...(model ? { model_version: versionOf(model) } : {}), outcome: 'failed', 'error.code': code },
          'error',
        );
        failed.push(`${model ? versionOf(model) : reference} ${code}`);
        if (signal?.aborted) throw error;
      }
    }
    // Nobody answered: the trace names the version asked for again, and the caller gets its failure.
    if (subject) recorder.describe(subject);
    if (!outermost || failed.length === 0) throw first;
    throw new LlmopsError(first.code, `${first.message} (fallbacks tried, none answered: ${failed.join(', ')})`, {
      cause: first,
      retryable: first.retryable,
      ...(first.retryAfterMs === undefined ? {} : { retryAfterMs: first.retryAfterMs }),
      ...(first.details === undefined ? {} : { details: first.details }),
    });
  }
}

const kindsOfCall = { complete: 'chat completions', stream: 'streamed chat completions', embed: 'embeddings' } as const;

/**
 * A target's answer to one kind of call.
 * @throws LlmopsError `invalid_input` when the target cannot answer that kind (a version with no embedder asked to
 * embed): the attempt fails and the chain moves on.
 */
function ableTo<Kind extends keyof typeof kindsOfCall>(
  target: FallbackTarget,
  kind: Kind,
): NonNullable<FallbackTarget[Kind]> {
  const method = target[kind];
  if (!method)
    throw new LlmopsError('invalid_input', `model ${versionOf(target.model)} cannot answer ${kindsOfCall[kind]}`);
  return method.bind(target) as NonNullable<FallbackTarget[Kind]>;
}

/** The chunks of a fallback's stream, the `llmops` extension of its finishing chunk saying which fallback answered. */
async function* withFallback(chunks: ChunkStream, served: ServedFallback): AsyncGenerator<ChatCompletionChunk> {
  for await (const chunk of chunks) {
    const extension = (chunk as { llmops?: object }).llmops;
    yield extension ? ({ ...chunk, llmops: { ...extension, fallback: served } } as ChatCompletionChunk) : chunk;
  }
}

/**
 * The factory of the `fallbacks` step. It applies to every version built by a serving service (which provides
 * the targets), so a version with no fallbacks of its own still runs the steps inside this slot when it stands
 * in for another: its step keeps the slot but wraps nothing, since it could only pass every call on (a version's
 * fallbacks never change). Building a version whose fallback chain leads back to itself is refused.
 */
export function fallbackStepFactory(): ServingStepFactory {
  return {
    name: 'fallbacks',
    async create(context: ServingStepContext): Promise<ServingStep | undefined> {
      const targets = context.fallbacks;
      if (!targets) return undefined;
      // The slot alone: a plain request then skips three async layers that would only call `next` (issue 13).
      if (context.model.fallbacks.length === 0) return { name: 'fallbacks' };
      if (context.model.fallbacks.length > 0)
        await assertNoFallbackCycle(context.model, (reference) => targets.resolve(reference));
      return new FallbackStep(targets);
    },
  };
}

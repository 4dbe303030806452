import { contentText } from '@llmops/kernel';
import type { ChatCompletionChunk, Usage } from '@llmops/kernel';
import { findingCategories } from '../domain/guardrails/guardrail-verdict.js';
import type { GuardrailVerdict } from '../domain/guardrails/guardrail-verdict.js';
import type { OutputChecks } from '../domain/guardrails/guardrail-policy.js';
import { guardrailBlockedError } from './guardrail-engine.js';
import type { GuardrailBlock, GuardrailEngine, InputCheckResult } from './guardrail-engine.js';
import { createGuardedStreamState, guardStream } from './guarded-stream.js';
import type { ServedChatCompletion, ServedCompletionExtension } from './pipeline.js';
import type { ServedEmbeddingResponse } from './served-embedding-request.js';
import { servedChunk, servedExtension } from './served-response.js';
import type { ChunkStream, ResponseShape, ServingStep, ServingStepContext, StepCall } from './serving-step.js';
import type { TraceAttributes, TraceRecorder } from './trace-recorder.js';

const zeroUsage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/**
 * The moderation service's part of a check stage (a guard model's latency and verdict), as span attributes:
 * `moderation.verdict` is `safe`, `unsafe` or `unavailable` (the service failed; `moderation.error` says how).
 */
function moderationAttributes(verdicts: readonly GuardrailVerdict[]): TraceAttributes {
  const moderation = verdicts.filter((verdict) => verdict.check === 'moderation');
  const last = moderation.at(-1);
  if (!last) return {};
  const verdict = last.unavailable !== undefined ? 'unavailable' : last.findings.length > 0 ? 'unsafe' : 'safe';
  return {
    'moderation.ms': moderation.reduce((total, each) => total + each.durationMs, 0),
    'moderation.verdict': verdict,
    ...(last.unavailable !== undefined ? { 'moderation.error': last.unavailable } : {}),
    ...(verdict === 'unsafe'
      ? {
          'moderation.categories': findingCategories(last.findings).join(','),
          'moderation.rules': [...new Set(last.findings.map((finding) => finding.rule))].join(','),
        }
      : {}),
  };
}

/** The text of the last user message: what an answer replies to. */
function questionOf(call: StepCall<unknown>): string | undefined {
  const last = call.request.messages.findLast((message) => message.role === 'user');
  return last === undefined ? undefined : contentText(last.content);
}

/** Verdict counts and the block of a check stage, as span attributes (never the checked text). */
function verdictAttributes(verdicts: readonly GuardrailVerdict[], block: GuardrailBlock | undefined): TraceAttributes {
  const count = (outcome: GuardrailVerdict['outcome']) =>
    verdicts.filter((verdict) => verdict.outcome === outcome).length;
  return {
    ...moderationAttributes(verdicts),
    checks: verdicts.length,
    passed: count('pass'),
    flagged: count('flagged'),
    redacted: count('redacted'),
    blocked: count('blocked'),
    ...(block ? { 'blocked.check': block.check, 'blocked.categories': block.categories.join(',') } : {}),
  };
}

/**
 * What an answer may take links from: the request's messages and the passages retrieval put in the
 * prompt. Undefined (links not checked) for agent pipelines, whose tool outputs are not kept, and for a
 * RAG answer served from the response cache.
 */
function answerSources(call: StepCall<unknown>): string[] | undefined {
  if (call.model.pipeline.kind === 'agent') return undefined;
  const retrieval = call.options.recorder.facts.retrieval;
  // A cached RAG answer comes without this request's retrieval: its sources are not known here.
  if (call.model.pipeline.kind === 'rag' && !retrieval) return undefined;
  const retrieved = retrieval?.passages ?? [];
  return [
    ...call.request.messages.map((message) => contentText(message.content)),
    ...retrieved.flatMap((passage) => (passage.context === undefined ? [] : [passage.context])),
  ];
}

/**
 * The guardrails as a serving step: the policy's input checks before the rest of the chain (the
 * model sees the redacted conversation), its output checks on what comes back. On streams, the
 * output checks run on the whole answer so far before every window is sent (see `guardStream`):
 * no flagged text reaches the client, and a block midway throws `guardrail_blocked` from the
 * chunks. A block is answered as the policy says: an error (`onBlock: error`) or a 200 refusal.
 */
export class GuardrailStep implements ServingStep {
  readonly name = 'guardrails';
  private readonly engine: GuardrailEngine;

  /** Whether the policy checks answers at all. */
  private readonly checksOutput: boolean;

  constructor(engine: GuardrailEngine) {
    this.engine = engine;
    this.checksOutput = hasOutputChecks(engine.policy.output);
  }

  /** Runs one stage's checks in its span, adding the time, the verdicts and the block to the trace. */
  private async check<Result extends { verdicts: GuardrailVerdict[]; block?: GuardrailBlock }>(
    call: StepCall<unknown>,
    stage: { span: 'guard_input' | 'guard_output'; run: (signal: AbortSignal | undefined) => Promise<Result> },
  ): Promise<Result> {
    const recorder = call.options.recorder;
    const startedAt = recorder.clock.monotonic();
    const result = await recorder.span(
      stage.span,
      () => stage.run(call.options.signal),
      (checked) => verdictAttributes(checked.verdicts, checked.block),
    );
    recorder.timing.guard += recorder.clock.monotonic() - startedAt;
    recorder.facts.verdicts.push(...result.verdicts);
    if (result.block) recorder.facts.blocked = result.block;
    return result;
  }

  private async checkInput(call: StepCall<unknown>): Promise<InputCheckResult> {
    call.options.recorder.useGuardrailPolicy(this.engine.policyName);
    const input = await this.check(call, {
      span: 'guard_input',
      run: (signal) => this.engine.checkInput(call.request.messages, signal ? { signal } : {}),
    });
    if (input.block) {
      if (this.engine.policy.onBlock === 'error') throw guardrailBlockedError(input.block);
      call.options.recorder.facts.usage = zeroUsage;
    }
    return input;
  }

  private refusal(shape: ResponseShape, block: GuardrailBlock, usage: Usage): ServedChatCompletion {
    return {
      id: shape.id,
      object: 'chat.completion',
      created: shape.created,
      model: shape.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: this.engine.policy.refusalMessage, refusal: null },
          finish_reason: 'content_filter',
          logprobs: null,
        },
      ],
      usage,
      system_fingerprint: shape.systemFingerprint,
      llmops: servedExtension(shape.model, [], block),
    };
  }

  /** Checks every choice of a whole answer (`n > 1` has several): a block in any blocks the answer. */
  async wrapComplete(call: StepCall<ServedChatCompletion>): Promise<ServedChatCompletion> {
    const input = await this.checkInput(call);
    if (input.block) return this.refusal(call.response, input.block, zeroUsage);
    const completion = await call.next({ ...call.request, messages: input.messages });
    const output = await this.check(call, {
      span: 'guard_output',
      run: async (signal) => {
        // A policy without output checks leaves every answer as it is (what the engine answers for it, without asking).
        if (!this.checksOutput)
          return { texts: completion.choices.map((choice) => choice.message.content ?? ''), verdicts: [] };
        const results = await Promise.all(
          completion.choices.map((choice) => {
            const sources = answerSources(call);
            const question = questionOf(call);
            return this.engine.checkOutput(choice.message.content ?? '', {
              ...(signal ? { signal } : {}),
              ...(sources ? { sources } : {}),
              ...(question === undefined ? {} : { question }),
            });
          }),
        );
        const block = results.find((result) => result.block)?.block;
        return {
          texts: results.map((result) => result.text),
          verdicts: results.flatMap((result) => result.verdicts),
          ...(block ? { block } : {}),
        };
      },
    });
    if (output.block) {
      if (this.engine.policy.onBlock === 'error') throw guardrailBlockedError(output.block);
      return this.refusal(call.response, output.block, completion.usage ?? zeroUsage);
    }
    const changed = completion.choices.some(
      (choice, index) => choice.message.content !== null && output.texts[index] !== choice.message.content,
    );
    if (!changed) return completion;
    return {
      ...completion,
      choices: completion.choices.map((choice, index) =>
        choice.message.content === null
          ? choice
          : { ...choice, message: { ...choice.message, content: output.texts[index] ?? choice.message.content } },
      ),
    };
  }

  /**
   * Embeddings: the input checks on every text (one user message each); the embedder gets the checked, redacted
   * texts. A block is always `guardrail_blocked` (a 400): an embedding has no refusal message to answer with.
   */
  async wrapEmbed(call: StepCall<ServedEmbeddingResponse>): Promise<ServedEmbeddingResponse> {
    const input = await this.checkInput(call);
    if (input.block) throw guardrailBlockedError(input.block);
    return call.next({ ...call.request, messages: input.messages });
  }

  async wrapStream(call: StepCall<ChunkStream>): Promise<ChunkStream> {
    const input = await this.checkInput(call);
    if (input.block) return this.refusalChunks(call, input.block);
    const inner = await call.next({ ...call.request, messages: input.messages });
    // Nothing to check on the way out: the chunks pass as the inner chain sends them, without holding text back.
    if (!this.checksOutput) return inner;
    return this.guardedChunks(call, inner);
  }

  private async *refusalChunks(
    call: StepCall<ChunkStream>,
    block: GuardrailBlock,
  ): AsyncGenerator<ChatCompletionChunk> {
    const shape = call.response;
    yield servedChunk(shape, [
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null },
    ]);
    yield servedChunk(shape, [
      { index: 0, delta: { content: this.engine.policy.refusalMessage }, finish_reason: null, logprobs: null },
    ]);
    yield servedChunk(shape, [{ index: 0, delta: {}, finish_reason: 'content_filter', logprobs: null }], {
      llmops: servedExtension(shape.model, [], block),
    } as Partial<ChatCompletionChunk>);
    if (call.options.includeUsage) yield servedChunk(shape, [], { usage: zeroUsage });
  }

  /** The inner chain's chunks with the output checks applied: the role chunk first, then checked windows. */
  private async *guardedChunks(call: StepCall<ChunkStream>, inner: ChunkStream): AsyncGenerator<ChatCompletionChunk> {
    const recorder: TraceRecorder = call.options.recorder;
    const iterator = inner[Symbol.asyncIterator]();
    const state = createGuardedStreamState();
    const span = recorder.start('guard_output');
    let extension: ServedCompletionExtension | undefined;
    try {
      const first = await iterator.next();
      if (first.done) return;
      // The inner chain's first chunk is its role chunk: its shape (with the upstream's fingerprint) is every chunk's.
      yield first.value;
      const shape: ResponseShape = {
        ...call.response,
        // A fallback's chunks name the version that answers.
        model: first.value.model,
        systemFingerprint: first.value.system_fingerprint ?? call.response.systemFingerprint,
      };
      const rest = (async function* () {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          const carried = (next.value as { llmops?: ServedCompletionExtension }).llmops;
          if (carried) extension = carried;
          yield next.value;
        }
      })();
      const policy = this.engine.policy;
      const events = guardStream({
        upstream: rest,
        engine: this.engine,
        windowChars: policy.stream.windowChars,
        holdBackChars: policy.stream.holdBackChars,
        state,
        clock: recorder.clock,
        onCheck: (durationMs) => (recorder.timing.guard += durationMs),
        sources: () => answerSources(call),
        ...(questionOf(call) === undefined ? {} : { question: questionOf(call) as string }),
        ...(call.options.signal ? { signal: call.options.signal } : {}),
      });
      // The finishing chunk carries every choice's finish reason (one chunk, as the core sends it) and `llmops`.
      const finishes: ChatCompletionChunk['choices'] = [];
      const finishing = () =>
        servedChunk(shape, finishes.splice(0), {
          llmops: extension ?? servedExtension(shape.model, []),
        } as Partial<ChatCompletionChunk>);
      for await (const event of events) {
        if (event.type === 'text') {
          yield servedChunk(shape, [
            { index: event.index, delta: { content: event.text }, finish_reason: null, logprobs: null },
          ]);
        } else if (event.type === 'tool_calls') {
          yield servedChunk(shape, [
            { index: event.index, delta: { tool_calls: event.toolCalls }, finish_reason: null, logprobs: null },
          ]);
        } else if (event.type === 'finish') {
          finishes.push({ index: event.index, delta: {}, finish_reason: event.finishReason, logprobs: null });
        } else {
          if (finishes.length > 0) yield finishing();
          yield servedChunk(shape, [], { usage: event.usage });
        }
      }
      if (finishes.length > 0) yield finishing();
    } finally {
      await iterator.return?.();
      recorder.facts.verdicts.push(...state.verdicts);
      if (state.block) recorder.facts.blocked = state.block;
      span.end(
        { ...verdictAttributes(state.verdicts, state.block), windows: state.checks, check_ms: state.guardMs },
        state.block ? 'error' : 'ok',
      );
    }
  }
}

/** Whether a policy checks answers at all (a policy such as `none` checks neither requests nor answers). */
function hasOutputChecks(checks: OutputChecks): boolean {
  return Object.values(checks).some((check) => check !== undefined);
}

/** The guardrail step of a model version, with the engine of the version's policy (`default` when it names none). */
export function guardrailStepFactory(engineFor: (context: ServingStepContext) => GuardrailEngine) {
  return {
    name: 'guardrails',
    create: (context: ServingStepContext): ServingStep => new GuardrailStep(engineFor(context)),
  };
}

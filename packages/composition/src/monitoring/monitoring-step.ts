import type { EventSink, OnlineEvaluationScheduler, RequestEvent } from '@llmops/monitoring';
import type {
  ChunkStream,
  ServedChatCompletion,
  ServedEmbeddingResponse,
  ServingStep,
  ServingStepFactory,
  StepCall,
} from '@llmops/serving';
import { watchedStream } from '@llmops/serving';
import { answerOf, questionOf, requestEventOf } from './request-event-of.js';
import type { CallOutcome, RequestEventSettings } from './request-event-of.js';

/** Settings of {@link monitoringStepFactory}. */
export interface MonitoringStepOptions extends RequestEventSettings {
  /** Where each request's event goes (the event queue and the Prometheus metrics); must not block. */
  sink: EventSink;
  /** Online evaluation: which requests are sampled, and where their samples go (queued, never waited for). */
  online?: Pick<OnlineEvaluationScheduler, 'isSampled' | 'submit'>;
}

/** Characters of a streamed answer kept to spot a refusal. */
const answerHeadChars = 300;

/**
 * The `monitoring` serving step (outermost in `defaultStepOrder`): lets the call run, then builds
 * one {@link RequestEvent} from what the chain recorded and how the call ended (answered, refused,
 * failed, a stream cut short) and hands it to the sink. Never changes the answer; a failure to build
 * or record the event never fails the request.
 */
export class MonitoringStep implements ServingStep {
  readonly name = 'monitoring';
  private readonly options: MonitoringStepOptions;

  constructor(options: MonitoringStepOptions) {
    this.options = options;
  }

  private record(call: StepCall<unknown>, outcome: CallOutcome): RequestEvent | undefined {
    try {
      const event = requestEventOf(call, outcome, this.options);
      this.options.sink.record(event);
      return event;
    } catch {
      // Monitoring is best effort: the answer matters more than its event.
      return undefined;
    }
  }

  /** Whether the request is in online evaluation's sample (decided by its id, before it runs). */
  private isSampled(call: StepCall<unknown>): boolean {
    try {
      return this.options.online?.isSampled(call.options.requestId ?? call.options.recorder.traceId) ?? false;
    } catch {
      return false;
    }
  }

  /**
   * Hands a sampled answer to online evaluation (queued; scored later, in memory). Only whole answers the model
   * gave: failures, streams cut short and guardrail refusals are not scored.
   */
  private submit(call: StepCall<unknown>, event: RequestEvent | undefined, answer: string): void {
    const online = this.options.online;
    if (!online || !event || !event.completed || event.errorCode !== undefined) return;
    const facts = call.options.recorder.facts;
    if (facts.blocked !== undefined || answer.trim() === '') return;
    try {
      online.submit({
        requestId: event.requestId,
        eventAt: event.at,
        ...(event.traceId === undefined ? {} : { traceId: event.traceId }),
        modelName: event.modelName,
        modelVersion: event.modelVersion,
        question: questionOf(call),
        answer,
        retrievalContext: (facts.retrieval?.passages ?? []).flatMap((passage) =>
          passage.used && passage.context !== undefined ? [passage.context] : [],
        ),
      });
    } catch {
      // Online evaluation is best effort too.
    }
  }

  async wrapComplete(call: StepCall<ServedChatCompletion>): Promise<ServedChatCompletion> {
    const sampled = this.isSampled(call);
    try {
      const completion = await call.next();
      const event = this.record(call, { stream: false, completed: true, ...answerOf(completion) });
      if (sampled) this.submit(call, event, completion.choices[0]?.message.content ?? '');
      return completion;
    } catch (error) {
      this.record(call, { stream: false, completed: false, error, answerHead: '' });
      throw error;
    }
  }

  /** Embeddings calls: one event with `endpoint: embeddings` (input tokens, cost, guardrail findings; no answer). */
  async wrapEmbed(call: StepCall<ServedEmbeddingResponse>): Promise<ServedEmbeddingResponse> {
    try {
      const answer = await call.next();
      this.record(call, { endpoint: 'embeddings', stream: false, completed: true, answerHead: '' });
      return answer;
    } catch (error) {
      this.record(call, { endpoint: 'embeddings', stream: false, completed: false, error, answerHead: '' });
      throw error;
    }
  }

  async wrapStream(call: StepCall<ChunkStream>): Promise<ChunkStream> {
    let inner: ChunkStream;
    try {
      inner = await call.next();
    } catch (error) {
      this.record(call, { stream: true, completed: false, error, answerHead: '' });
      throw error;
    }
    return this.watched(call, inner, this.isSampled(call));
  }

  /** The inner chunks unchanged; the event is recorded when they end, however they end. */
  private watched(call: StepCall<ChunkStream>, inner: ChunkStream, sampled: boolean): ChunkStream {
    let answerHead = '';
    let answerLength = 0;
    // The whole answer is kept only for a sampled request (online evaluation scores it).
    let answer = '';
    return watchedStream(inner, {
      onChunk: (chunk) => {
        const content = chunk.choices[0]?.delta.content;
        if (typeof content !== 'string') return;
        answerLength += content.length;
        if (answerHead.length < answerHeadChars) answerHead += content;
        if (sampled) answer += content;
      },
      onEnd: ({ completed, error }) => {
        const event = this.record(call, {
          stream: true,
          completed,
          started: true,
          answerHead: answerHead.slice(0, answerHeadChars),
          answerLength,
          ...(error === undefined ? {} : { error }),
        });
        if (sampled) this.submit(call, event, answer);
      },
    });
  }
}

/** The factory of the `monitoring` step: one step for every model version, all feeding one sink. */
export function monitoringStepFactory(options: MonitoringStepOptions): ServingStepFactory {
  const step = new MonitoringStep(options);
  return { name: 'monitoring', create: () => step };
}

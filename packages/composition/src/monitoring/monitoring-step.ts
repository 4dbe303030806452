import type { EventSink } from '@llmops/monitoring';
import type { ChunkStream, ServedChatCompletion, ServingStep, ServingStepFactory, StepCall } from '@llmops/serving';
import { answerOf, requestEventOf } from './request-event-of.js';
import type { CallOutcome, RequestEventSettings } from './request-event-of.js';

/** Settings of {@link monitoringStepFactory}. */
export interface MonitoringStepOptions extends RequestEventSettings {
  /** Where each request's event goes (the event queue and the Prometheus metrics); must not block. */
  sink: EventSink;
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

  private record(call: StepCall<unknown>, outcome: CallOutcome): void {
    try {
      this.options.sink.record(requestEventOf(call, outcome, this.options));
    } catch {
      // Monitoring is best effort: the answer matters more than its event.
    }
  }

  async wrapComplete(call: StepCall<ServedChatCompletion>): Promise<ServedChatCompletion> {
    try {
      const completion = await call.next();
      this.record(call, { stream: false, completed: true, ...answerOf(completion) });
      return completion;
    } catch (error) {
      this.record(call, { stream: false, completed: false, error, answerHead: '' });
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
    return this.watched(call, inner);
  }

  /** The inner chunks unchanged; the event is recorded when they end, however they end. */
  private async *watched(call: StepCall<ChunkStream>, inner: ChunkStream): AsyncGenerator<ServedChunk> {
    let answerHead = '';
    let completed = false;
    let failure: unknown;
    try {
      for await (const chunk of inner) {
        if (answerHead.length < answerHeadChars) {
          const content = chunk.choices[0]?.delta.content;
          if (typeof content === 'string') answerHead += content;
        }
        yield chunk;
      }
      completed = true;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      this.record(call, {
        stream: true,
        completed,
        started: true,
        answerHead: answerHead.slice(0, answerHeadChars),
        ...(failure === undefined ? {} : { error: failure }),
      });
    }
  }
}

type ServedChunk = ChunkStream extends AsyncIterable<infer Chunk> ? Chunk : never;

/** The factory of the `monitoring` step: one step for every model version, all feeding one sink. */
export function monitoringStepFactory(options: MonitoringStepOptions): ServingStepFactory {
  const step = new MonitoringStep(options);
  return { name: 'monitoring', create: () => step };
}

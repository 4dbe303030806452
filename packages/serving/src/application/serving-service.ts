import { formatModelSpec } from '@llmops/providers';
import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import { defaultGuardrailPolicyName } from '../domain/guardrails/guardrail-policy.js';
import type { ModelResolver, ServableModel, ServableModelListing } from '../ports.js';
import type { TraceQueue } from './batching-trace-sink.js';
import type { FallbackTargets } from './fallback-step.js';
import type { PipelineBuildOptions } from './pipeline-factory.js';
import type {
  Pipeline,
  PipelineCallOptions,
  PipelineCompletion,
  PipelineRequest,
  PipelineStream,
  PipelineTrace,
} from './pipeline.js';
import { TraceRecorder } from './trace-recorder.js';
import { isTraceKept } from './trace-sampling.js';

/** Builds the pipeline of a model version (a `PipelineFactory`, or a fake in tests). */
export interface PipelineBuilder {
  create(model: ServableModel, build?: PipelineBuildOptions): Promise<Pipeline>;
}

/** Settings of {@link ServingService}. */
export interface ServingServiceOptions {
  resolver: ModelResolver;
  factory: PipelineBuilder;
  /** Pipelines kept built (least recently used dropped first); 64 by default. */
  maxPipelines?: number;
  /** Where the trace of every request served through `complete`/`stream` goes (a `BatchingTraceSink`); none by default. */
  traceSink?: TraceQueue;
  /**
   * The share of requests whose trace goes to the sink (`LLMOPS_TRACE_SAMPLE_RATE`), from 0 to 1; 1 by default. Failed
   * and blocked requests' traces always go ({@link isTraceKept}); `onTrace` callers get every trace, an unsampled
   * success's without spans (its recorder decides when the request starts and records no span ids for it).
   */
  traceSampleRate?: number;
  clock?: Clock;
}

/** Call options of {@link ServingService.complete} and {@link ServingService.stream}. */
export interface ServingCallOptions extends Omit<PipelineCallOptions, 'recorder'> {
  /** Called once the reference resolved and its pipeline is ready (before the answer), with the version. */
  onResolved?: (model: ServableModel) => void;
}

/**
 * The entry point of serving for apps (the HTTP API, the CLI, evaluation runs in process):
 * resolves a registry reference and answers with the pipeline of the version it points to, handing
 * every request's trace (success, refusal or failure, a failed resolution included) to the trace
 * sink. Versions are immutable, so pipelines are built once per `name/version` and kept (bounded,
 * least recently used dropped); concurrent requests for a version still being built share the build.
 */
export class ServingService {
  private readonly resolver: ModelResolver;
  private readonly factory: PipelineBuilder;
  private readonly maxPipelines: number;
  private readonly traceSink: TraceQueue | undefined;
  private readonly traceSampleRate: number;
  private readonly clock: Clock;
  private readonly pipelines = new Map<string, Promise<Pipeline>>();
  /** Other versions' pipelines, for the `fallbacks` step of the pipelines this service builds. */
  private readonly fallbackTargets: FallbackTargets = {
    resolve: (reference) => this.resolver.resolve(reference),
    target: async (model) => {
      const pipeline = await this.build(model);
      if (!pipeline.fallbackTarget)
        throw new LlmopsError(
          'internal',
          `model ${model.name}/${model.version}: its pipeline cannot answer as another version's fallback`,
        );
      return pipeline.fallbackTarget;
    },
  };

  constructor(options: ServingServiceOptions) {
    this.resolver = options.resolver;
    this.factory = options.factory;
    this.maxPipelines = options.maxPipelines ?? 64;
    this.traceSink = options.traceSink;
    this.traceSampleRate = options.traceSampleRate ?? 1;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * The pipeline of a reference's current version.
   * @throws LlmopsError `not_found` for an unknown model, alias or version; `invalid_input` for a
   * malformed reference or a version that cannot be served; what building the pipeline throws.
   */
  async pipeline(reference: string): Promise<Pipeline> {
    return this.build(await this.resolver.resolve(reference));
  }

  private async build(model: ServableModel): Promise<Pipeline> {
    const key = `${model.name}/${model.version}`;
    const known = this.pipelines.get(key);
    if (known) {
      this.pipelines.delete(key);
      this.pipelines.set(key, known);
      return known;
    }
    const building = this.factory.create(model, { fallbacks: this.fallbackTargets });
    this.pipelines.set(key, building);
    while (this.pipelines.size > this.maxPipelines) this.pipelines.delete(this.pipelines.keys().next().value as string);
    try {
      return await building;
    } catch (error) {
      if (this.pipelines.get(key) === building) this.pipelines.delete(key);
      throw error;
    }
  }

  /** Hands a sampled trace to the sink; a failing sink never fails a request. */
  private record(trace: PipelineTrace, options: ServingCallOptions): void {
    try {
      if (isTraceKept(trace, this.traceSampleRate)) this.traceSink?.record(trace);
    } catch {
      // Traces are best effort: the request's answer matters more.
    }
    options.onTrace?.(trace);
  }

  /** Resolves and builds within the `resolve` span; records the trace of a request that never reached a pipeline. */
  private async resolve(
    reference: string,
    options: ServingCallOptions,
  ): Promise<{ pipeline: Pipeline; callOptions: PipelineCallOptions }> {
    const recorder = new TraceRecorder({
      clock: this.clock,
      reference,
      sampleRate: this.traceSampleRate,
      ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    });
    const span = recorder.start('resolve');
    let model: ServableModel | undefined;
    try {
      model = await this.resolver.resolve(reference);
      const pipeline = await this.build(model);
      span.end({ reference, model_version: `${model.name}/${model.version}` });
      options.onResolved?.(model);
      const callOptions: PipelineCallOptions = {
        recorder,
        onTrace: (trace) => this.record(trace, options),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
        ...(options.includeUsage === undefined ? {} : { includeUsage: options.includeUsage }),
        ...(options.caller ? { caller: options.caller } : {}),
        ...(options.cacheDirective === undefined ? {} : { cacheDirective: options.cacheDirective }),
      };
      return { pipeline, callOptions };
    } catch (error) {
      span.end({ reference, 'error.code': LlmopsError.fromUnknown(error).code }, 'error');
      if (model) {
        recorder.describe({
          model: `${model.name}/${model.version}`,
          pipeline: model.pipeline.kind,
          provider: formatModelSpec(model.provider),
          guardrailPolicy: model.guardrails ?? defaultGuardrailPolicyName,
        });
      }
      this.record(recorder.finish({ completed: false, error }), options);
      throw error;
    }
  }

  /**
   * Resolves a reference and answers a request with its version's pipeline; the trace goes to the sink.
   * @throws LlmopsError what {@link pipeline} and `Pipeline.complete` throw.
   */
  async complete(
    reference: string,
    request: PipelineRequest,
    options: ServingCallOptions = {},
  ): Promise<PipelineCompletion> {
    const { pipeline, callOptions } = await this.resolve(reference, options);
    return pipeline.complete(request, callOptions);
  }

  /**
   * Resolves a reference and starts a streamed answer; the trace goes to the sink when the stream
   * ends, however it ends (the client gone included).
   * @throws LlmopsError what {@link pipeline} and `Pipeline.stream` throw, before the stream starts.
   */
  async stream(reference: string, request: PipelineRequest, options: ServingCallOptions = {}): Promise<PipelineStream> {
    const { pipeline, callOptions } = await this.resolve(reference, options);
    return pipeline.stream(request, callOptions);
  }

  /** The registered models and their aliases. */
  listModels(): Promise<ServableModelListing[]> {
    return this.resolver.list();
  }
}

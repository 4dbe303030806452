import { createServingWiring, createWorkspacePipelineFactory } from '@llmops/composition';
import { LlmopsError, parseModelVersionSpec } from '@llmops/kernel';
import { inferenceAnswerOf, ServingService, toServableModel } from '@llmops/serving';
import type { BatchInferenceModel, ServableModel } from '@llmops/serving';
import type { CommandContext } from '../cli-io.js';
import { openRegistry } from '../registry/open-registry.js';
import { isRegistryReference } from '../serving/served-chat.js';

/** The model of an inference job: a registry reference, or a provider spec as text or object. */
export type InferenceModelChoice = string | { provider: string; model: string; [field: string]: unknown };

/** A model the job asks, through serving; `close` flushes the traces. */
export interface InferenceModel extends BatchInferenceModel {
  close(): Promise<void>;
}

/**
 * A provider spec served like a registered version with no prompt: a chat pipeline with the
 * workspace's `default` guardrail policy and prices, the spec's other defaults. The name check of
 * the spec schema wants a registered name, so the spec is parsed under a placeholder and then named
 * after the provider spec, which is what its traces show (version 0: never registered).
 */
function providerSpecModel(choice: InferenceModelChoice, where: string): ServableModel {
  const spec = parseModelVersionSpec(
    { name: 'provider-spec', provider: choice, pipeline: { kind: 'chat', prompt: 'none' } },
    where,
  );
  const model = toServableModel(spec, { version: 0 });
  return { ...model, name: `${spec.provider.provider}/${spec.provider.model}` };
}

/**
 * Opens the job's model on the serving context, as `llmops chat --model` and the gateway serve:
 * a registry reference through the registry-backed serving service (its prompt, retrieval,
 * guardrails, cache policy); a provider spec through a serving service over that one spec. Every
 * request leaves a trace in the store, as a served request does. The pipeline is built before the
 * first line, so an unknown model or provider fails the job before it starts.
 * @throws LlmopsError `not_found` for an unregistered reference, `invalid_input` for a bad provider spec.
 */
export async function openInferenceModel(
  choice: InferenceModelChoice,
  options: { context: CommandContext; where: string },
): Promise<InferenceModel> {
  const { io, globals } = options.context;
  const registry = openRegistry(options.context);
  const wiring = createServingWiring({ registry, cwd: io.cwd, env: io.env, storeUri: globals.store });
  const close = async () => {
    await wiring.close();
    await registry.close();
  };
  try {
    const registered = typeof choice === 'string' && isRegistryReference(choice);
    const fixed = registered ? undefined : providerSpecModel(choice, options.where);
    const service = fixed
      ? new ServingService({
          resolver: { resolve: async () => fixed, list: async () => [] },
          factory: createWorkspacePipelineFactory({ cwd: io.cwd, env: io.env, providers: wiring.providers }),
          traceSink: wiring.traces,
        })
      : wiring.service;
    const reference = fixed ? fixed.name : (choice as string);
    await service.pipeline(reference);
    return {
      label: reference,
      answer: async (request, callOptions) =>
        inferenceAnswerOf(
          await service.complete(reference, { ...callOptions.params, ...request }, { signal: callOptions.signal }),
          { label: reference, registered: !fixed },
        ),
      close,
    };
  } catch (error) {
    await close();
    if (
      LlmopsError.isInstance(error) &&
      error.code === 'not_found' &&
      typeof choice === 'string' &&
      !/[@/]/.test(choice)
    ) {
      throw new LlmopsError(
        'not_found',
        `model "${choice}" is not registered, and is not of the form <provider>/<model>; expected a registry reference (name@alias, name/3, name) or a provider spec such as offline/extractive`,
        { cause: error },
      );
    }
    throw error;
  }
}

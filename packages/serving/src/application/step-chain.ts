import { LlmopsError } from '@llmops/kernel';
import type { ServableModel } from '../ports.js';
import type { PipelineRequest } from './pipeline.js';
import type { ResponseShape, ServingStep, ServingStepFactory, StepCall, StepCallOptions } from './serving-step.js';

/**
 * The order of the built-in serving steps, outermost first: the one place that decides it.
 * Today `monitoring` (outermost: sees every outcome; the apps provide its factory), `limits` (rate limits and budgets
 * of the call's API key, before any work, so cache hits count as requests too; the apps provide its factory),
 * `guardrails` (input checks before anything reaches the cache or a model, output checks on whatever comes back,
 * cached answers and fallbacks' answers included), `cache` (inside the guardrails; the response cache, when serving
 * has one and the version's spec enables it) and `fallbacks` (innermost, around the core: another version's pipeline
 * when this one's fails with a retryable error) run. A deployment's own steps come after these unless its
 * `stepOrder` places them.
 */
export const defaultStepOrder: readonly string[] = ['monitoring', 'limits', 'guardrails', 'cache', 'fallbacks'];

/** The request-invariant part of a call through the chain. */
export interface ChainFrame {
  options: StepCallOptions;
  model: ServableModel;
  response: ResponseShape;
}

/** A composed chain (or its core): a request in, a result out. */
export type ChainHandler<Result> = (request: PipelineRequest, frame: ChainFrame) => Promise<Result>;

/**
 * Composes steps around a core, outermost first, once (at build time, not per request), the way
 * `wrapLanguageModel` composes middleware: each step's wrapper receives `next`, the rest of the chain.
 * @param pick the wrapper of a step for this kind of call (`wrapComplete` or `wrapStream`).
 */
export function composeSteps<Result>(
  steps: readonly ServingStep[],
  pick: (step: ServingStep) => ((call: StepCall<Result>) => Promise<Result>) | undefined,
  core: ChainHandler<Result>,
): ChainHandler<Result> {
  return steps.reduceRight<ChainHandler<Result>>((next, step) => {
    const wrap = pick(step)?.bind(step);
    if (!wrap) return next;
    return (request, frame) =>
      wrap({ request, ...frame, next: (rewritten = request) => next(rewritten, frame) } as StepCall<Result>);
  }, core);
}

/**
 * The step factories in the order they run, outermost first: `order` (by default
 * {@link defaultStepOrder} followed by the deployment's steps in the order given) over the
 * factories available.
 * @throws LlmopsError `invalid_input` for two factories with one name, or an order naming an unknown
 * or repeated step.
 */
export function orderStepFactories(options: {
  available: readonly ServingStepFactory[];
  order?: readonly string[];
}): ServingStepFactory[] {
  const byName = new Map<string, ServingStepFactory>();
  for (const factory of options.available) {
    if (byName.has(factory.name))
      throw new LlmopsError(
        'invalid_input',
        `two serving steps are named "${factory.name}"; step names must be unique`,
      );
    byName.set(factory.name, factory);
  }
  const order = options.order ?? [
    ...defaultStepOrder.filter((name) => byName.has(name)),
    ...options.available.map((factory) => factory.name).filter((name) => !defaultStepOrder.includes(name)),
  ];
  const seen = new Set<string>();
  return order.map((name) => {
    const factory = byName.get(name);
    if (!factory || seen.has(name)) {
      throw new LlmopsError(
        'invalid_input',
        `step order names "${name}" ${factory ? 'twice' : 'but no such step is registered'}; known steps: ${[...byName.keys()].join(', ')}`,
      );
    }
    seen.add(name);
    return factory;
  });
}

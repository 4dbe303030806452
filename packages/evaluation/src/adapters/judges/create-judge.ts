import { LlmopsError } from '@llmops/kernel';
import { createChatModel } from '@llmops/providers';
import type { ModelFactoryOptions, ModelSpec } from '@llmops/providers';
import { OfflineHeuristicJudge, offlineJudgeName } from './offline-heuristic-judge.js';
import type { OfflineHeuristicJudgeOptions } from './offline-heuristic-judge.js';
import { LlmJudge } from './llm-judge.js';
import type { LlmJudgeOptions } from './llm-judge.js';
import type { Judge } from '../../ports.js';

/** Options of {@link createJudge}. */
export interface CreateJudgeOptions {
  /** Where the LLM judge's model reads its key, its fetch and timeouts (see `@llmops/providers`). */
  factory?: ModelFactoryOptions;
  llm?: LlmJudgeOptions;
  offline?: OfflineHeuristicJudgeOptions;
}

/**
 * The judge of a spec: `offline` (or `offline-heuristic`, or nothing) for the offline heuristic judge;
 * a model spec (`openai/gpt-4o-mini`, or `{provider, model, baseUrl, apiKeyEnv}`) for the LLM judge on that model.
 * @throws LlmopsError `invalid_input` for an unknown provider or a missing API key variable; the
 * offline chat model is refused as a judge (it cannot give JSON verdicts).
 */
export function createJudge(spec: string | ModelSpec | undefined, options: CreateJudgeOptions = {}): Judge {
  if (spec === undefined || spec === 'offline' || spec === offlineJudgeName)
    return new OfflineHeuristicJudge(options.offline);
  const model = createChatModel(spec, options.factory ?? {});
  if (model.provider === 'offline') {
    throw new LlmopsError(
      'invalid_input',
      `judge ${model.provider}/${model.modelId} cannot give JSON verdicts; use --judge offline (the heuristic judge) or an LLM such as openai/gpt-4o-mini`,
    );
  }
  return new LlmJudge(model, options.llm);
}

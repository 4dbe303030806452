import type { ChatCompletionChunk } from '@llmops/kernel';
import type { Citation } from '../domain/retrieval/passage.js';
import type { GuardrailBlock } from './guardrail-engine.js';
import type { ServedCompletionExtension } from './pipeline.js';
import type { ResponseShape } from './serving-step.js';

/** The `llmops` extension of an answer: the version, its citations, and the guardrail block if it is a refusal. */
export function servedExtension(
  model: string,
  citations: Citation[],
  block?: GuardrailBlock,
): ServedCompletionExtension {
  return {
    model_version: model,
    citations,
    ...(block
      ? { guardrail: { blocked: true as const, stage: block.stage, check: block.check, categories: block.categories } }
      : {}),
  };
}

/** A chunk of a served stream, in the shape every chunk of the stream shares. */
export function servedChunk(
  shape: ResponseShape,
  choices: ChatCompletionChunk['choices'],
  extra: Partial<ChatCompletionChunk> = {},
): ChatCompletionChunk {
  return {
    id: shape.id,
    object: 'chat.completion.chunk',
    created: shape.created,
    model: shape.model,
    system_fingerprint: shape.systemFingerprint,
    choices,
    ...extra,
  };
}

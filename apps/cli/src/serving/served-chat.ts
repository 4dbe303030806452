import { createServingWiring } from '@llmops/composition';
import { LlmopsError, parseReference } from '@llmops/kernel';
import type { ChatMessage, Reference } from '@llmops/kernel';
import type { Citation } from '@llmops/serving';
import type { CommandContext } from '../cli-io.js';
import { openRegistry } from '../registry/open-registry.js';

/** Provider names of `<provider>/<model>` specs, which `--model` takes before registry references. */
const providerNames = ['offline', 'openai'];

/**
 * True when `--model` names a registered model (`name`, `name@alias`, `name/7`) rather than a
 * provider spec (`offline/extractive`, `openai/gpt-4o-mini`): a `/` followed by a version number,
 * an `@alias`, or a bare name; a name before `/` that is a provider is always a provider spec.
 */
export function isRegistryReference(model: string): boolean {
  let reference: Reference;
  try {
    reference = parseReference(model);
  } catch {
    return false;
  }
  return !(reference.kind === 'version' && providerNames.includes(reference.name));
}

function citationLines(citations: readonly Citation[]): string {
  return citations
    .map(
      (citation) =>
        `[${citation.index}] ${citation.source} (${citation.passage_id}, score ${citation.score.toFixed(2)})\n`,
    )
    .join('');
}

/**
 * `llmops chat --model <registry reference>`: the question goes through the serving pipeline of the
 * registered version (its prompt, retrieval, guardrails), exactly as `POST /v1/chat/completions`
 * would serve it. Prints the answer and the cited passages; `--json` prints the completion with
 * the cost and latency breakdown under `llmops`.
 * @throws LlmopsError `not_found` for an unknown reference, `guardrail_blocked` when a guardrail blocks, the provider's errors.
 */
export async function chatWithRegisteredModel(
  context: CommandContext,
  request: { reference: string; messages: ChatMessage[]; stream: boolean },
): Promise<void> {
  const { io, globals } = context;
  const registry = openRegistry(context);
  // The chat is served like an HTTP request, so it leaves a trace in the store as one does.
  const serving = createServingWiring({ registry, cwd: io.cwd, env: io.env, storeUri: globals.store });
  try {
    const notRegistered = (error: unknown): never => {
      // A bare name may also be a provider spec missing its provider: say both.
      if (!LlmopsError.isInstance(error) || error.code !== 'not_found' || /[@/]/.test(request.reference)) throw error;
      throw new LlmopsError(
        'not_found',
        `model "${request.reference}" is not registered, and is not of the form <provider>/<model>; expected a registry reference (name@alias, name/3, name) or a provider spec such as offline/extractive or openai/gpt-4o-mini`,
        { cause: error },
      );
    };
    if (request.stream && !globals.json) {
      const stream = await serving.service
        .stream(request.reference, { messages: request.messages })
        .catch(notRegistered);
      for await (const chunk of stream.chunks) {
        const text = chunk.choices[0]?.delta.content;
        if (text) io.stdout(text);
      }
      io.stdout('\n');
      io.stdout(citationLines((await stream.trace).citations));
      return;
    }
    const { completion, trace } = await serving.service
      .complete(request.reference, { messages: request.messages })
      .catch(notRegistered);
    if (globals.json) {
      io.stdout(
        `${JSON.stringify({ ...completion, llmops: { ...completion.llmops, cost_usd: trace.costUsd, latency_ms: trace.latencyMs } satisfies Record<string, unknown> }, null, 2)}\n`,
      );
      return;
    }
    io.stdout(`${completion.choices[0]?.message.content ?? ''}\n`);
    io.stdout(citationLines(completion.llmops.citations));
  } finally {
    await serving.close();
    await registry.close();
  }
}

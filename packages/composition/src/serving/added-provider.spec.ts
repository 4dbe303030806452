import { chatCompletionSchema, contentText, LlmopsError } from '@llmops/kernel';
import type { ChatCompletion, ChatModel } from '@llmops/kernel';
import { createProviderRegistry } from '@llmops/providers';
import type { ProviderFactory } from '@llmops/providers';
import { createRegistry, SqliteRegistryStore } from '@llmops/registry';
import { builtInGuardrailPolicies, PipelineFactory, ServingService } from '@llmops/serving';
import { RegistryModelResolver } from './registry-model-resolver.js';

/** A provider that exists only in this file: its chat model answers one fixed text. */
const rocketProvider: ProviderFactory = {
  validate: (spec) => {
    if (spec['region'] !== undefined && spec['region'] !== 'eu' && spec['region'] !== 'us')
      throw new LlmopsError('invalid_input', `model spec rocket/${spec.model}: region: expected eu or us`);
  },
  chatModel: (spec): ChatModel => ({
    provider: 'rocket',
    modelId: spec.model,
    generate: async (): Promise<ChatCompletion> =>
      chatCompletionSchema.parse({
        id: 'rocket-1',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: spec.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: `Rocket ${spec.model} says hello.`, refusal: null },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
        usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
      }),
    stream: () => {
      throw new LlmopsError('invalid_input', 'the rocket provider does not stream');
    },
  }),
};

describe('a provider added at run time', () => {
  it('is named in a spec, registered through the registry, and served, with no change to the spec schema', async () => {
    const providers = createProviderRegistry().register('rocket', rocketProvider);
    const registry = createRegistry({ store: new SqliteRegistryStore({ path: ':memory:' }), providers });
    await registry.registerPrompt({ name: 'brief', template: 'Answer briefly.' });
    const chat = (provider: unknown) => ({
      spec: { name: 'launcher', provider, pipeline: { kind: 'chat', prompt: 'brief' } },
    });

    await expect(registry.registerModel(chat('rockett/r1'))).rejects.toThrow(
      'model spec: provider: unknown provider "rockett"; known providers: offline, openai, rocket',
    );
    await expect(registry.registerModel(chat({ provider: 'rocket', model: 'r1', region: 'mars' }))).rejects.toThrow(
      'model spec: provider: model spec rocket/r1: region: expected eu or us',
    );
    const registered = await registry.registerModel(chat({ provider: 'rocket', model: 'r1', region: 'eu' }));
    expect(registered.version.spec.provider).toEqual({ provider: 'rocket', model: 'r1', region: 'eu' });

    const serving = new ServingService({
      resolver: new RegistryModelResolver(registry),
      factory: new PipelineFactory({ guardrails: builtInGuardrailPolicies(), providers, env: {} }),
    });
    const pipeline = await serving.pipeline('launcher/1');
    const { completion } = await pipeline.complete(
      { messages: [{ role: 'user', content: 'Ready?' }] },
      { requestId: 'req-rocket' },
    );
    expect(contentText(completion.choices[0]?.message.content ?? null)).toBe('Rocket r1 says hello.');
    expect(completion.model).toBe('launcher/1');

    // Without the provider in its registry, serving cannot build the same version.
    const elsewhere = new ServingService({
      resolver: new RegistryModelResolver(registry),
      factory: new PipelineFactory({ guardrails: builtInGuardrailPolicies(), env: {} }),
    });
    await expect(elsewhere.pipeline('launcher/1')).rejects.toThrow('unknown provider "rocket"');
    await registry.close();
  });
});

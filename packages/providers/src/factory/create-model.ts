import type { ChatModel, Embedder, ProviderCredentials } from '@llmops/kernel';
import { offlineProviderFactory, openAiProviderFactory } from './builtin-provider-factories.js';
import { noModelsError, ProviderRegistry } from './provider-registry.js';
import type { ModelFactoryOptions } from './provider-registry.js';
import { parseModelSpec } from './provider-spec.js';
import type { ModelSpec } from './provider-spec.js';
import type { UpstreamPoolsOptions } from '../openai-compatible/upstream-pools.js';

/** Options of {@link createChatModel} and {@link createEmbedder}. */
export interface CreateModelOptions extends ModelFactoryOptions {
  /**
   * The providers to choose from, and the owner of the pools the models share (unless `pools` is given);
   * {@link createProviderRegistry}() by default, and then the models keep no connection between calls.
   */
  registry?: ProviderRegistry;
}

/**
 * A registry with the built-in providers: `openai` (any OpenAI-compatible endpoint) and `offline`, checking keys
 * against `options.credentials` (the deployment's; those `process.env` declares by default), its upstream pools sized
 * by `options.pools` (`upstreamPoolsOptionsFromEnv` reads a deployment's `LLMOPS_UPSTREAM_CONNECTIONS`).
 * @throws LlmopsError `invalid_input` for connections per origin out of range.
 */
export function createProviderRegistry(
  options: { credentials?: ProviderCredentials; pools?: UpstreamPoolsOptions } = {},
): ProviderRegistry {
  return new ProviderRegistry(options.credentials, options.pools)
    .register('openai', openAiProviderFactory)
    .register('offline', offlineProviderFactory);
}

/**
 * The factory options with the registry's credentials, and the pools given or those of the registry given (whose owner
 * closes them). A model built without either keeps no connection between calls: nobody would close it.
 */
function withCredentials(options: CreateModelOptions, registry: ProviderRegistry): ModelFactoryOptions {
  const pools = options.pools ?? options.registry?.pools;
  return {
    ...options,
    credentials: options.credentials ?? registry.credentialsOr(options.env),
    ...(pools ? { pools } : {}),
  };
}

function resolveSpec(spec: ModelSpec | string, registry: ProviderRegistry): ModelSpec {
  return typeof spec === 'string' ? parseModelSpec(spec, { knownProviders: registry.names() }) : spec;
}

/**
 * The chat model of a spec: `createChatModel('offline/extractive')`,
 * `createChatModel({ provider: 'openai', model: 'gpt-4o-mini' }, { env: process.env })`.
 * @throws LlmopsError `invalid_input` for an unknown provider (listing the known ones), an invalid
 * spec field, a missing API key variable (named, never its value), or a provider without chat models.
 */
export function createChatModel(spec: ModelSpec | string, options: CreateModelOptions = {}): ChatModel {
  const registry = options.registry ?? createProviderRegistry();
  const resolved = resolveSpec(spec, registry);
  const factory = registry.get(resolved.provider);
  if (!factory.chatModel) throw noModelsError(resolved, 'chat');
  return factory.chatModel(resolved, withCredentials(options, registry));
}

/**
 * The embedder of a spec: `createEmbedder('offline/lexical')`, `createEmbedder('openai/text-embedding-3-small')`.
 * @throws LlmopsError `invalid_input` as {@link createChatModel} does, or for a provider without embedders.
 */
export function createEmbedder(spec: ModelSpec | string, options: CreateModelOptions = {}): Embedder {
  const registry = options.registry ?? createProviderRegistry();
  const resolved = resolveSpec(spec, registry);
  const factory = registry.get(resolved.provider);
  if (!factory.embedder) throw noModelsError(resolved, 'embedding');
  return factory.embedder(resolved, withCredentials(options, registry));
}

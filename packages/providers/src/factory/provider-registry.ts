import { LlmopsError, ProviderCredentials, providerNamePattern } from '@llmops/kernel';
import type { ChatModel, Clock, CredentialRequest, Embedder, ModelPurpose, ProviderCatalog } from '@llmops/kernel';
import type { OpenAiCompatibleRetryOptions } from '../openai-compatible/openai-compatible-settings.js';
import { UpstreamPools } from '../openai-compatible/upstream-pools.js';
import type { UpstreamPoolsOptions } from '../openai-compatible/upstream-pools.js';
import type { ModelSpec } from './provider-spec.js';

/** What model factories get besides the spec: the environment and the parts a test or app injects. */
export interface ModelFactoryOptions {
  /** Where API keys are read (`apiKeyEnv`); `process.env` by default. */
  env?: Record<string, string | undefined>;
  /**
   * The keys the deployment allows and the hosts each may be sent to; those declared by `env`
   * (`LLMOPS_PROVIDER_KEY_*` and the built-in `OPENAI_API_KEY` for api.openai.com) by default.
   */
  credentials?: ProviderCredentials;
  /** The fetch of HTTP providers; the global one by default. */
  fetch?: typeof globalThis.fetch;
  /** The connection pools HTTP providers share, one per origin; the registry's ({@link ProviderRegistry.pools}). */
  pools?: UpstreamPools;
  /** Extra headers on every request of HTTP providers. */
  headers?: Record<string, string>;
  /** Timeout of one attempt of HTTP providers, in ms. */
  timeoutMs?: number;
  /** Retry policy of HTTP providers (kernel's `withRetry`). */
  retry?: OpenAiCompatibleRetryOptions;
  /** Clock of models that stamp their answers (the offline model). */
  clock?: Clock;
  /** Vector length of embedders: the offline lexical embedder's, OpenAI's `dimensions` (models that can shorten). */
  embeddingDimensions?: number;
}

/**
 * How one provider builds its models. A factory validates the provider-specific fields of the spec
 * itself (throwing `invalid_input` naming the field); a provider without chat models or without
 * embedders leaves that method out.
 */
export interface ProviderFactory {
  /**
   * Checks the provider-specific fields of a spec for a purpose without building anything (no key
   * is read, no connection made), the key variable against the deployment's credentials.
   * @throws LlmopsError `invalid_input` naming the bad field.
   */
  validate?(spec: ModelSpec, purpose: ModelPurpose, context: { credentials: ProviderCredentials }): void;
  chatModel?(spec: ModelSpec, options: ModelFactoryOptions): ChatModel;
  embedder?(spec: ModelSpec, options: ModelFactoryOptions): Embedder;
}

/** The error for a provider asked for a model of a purpose it has none of. */
export function noModelsError(spec: ModelSpec, purpose: ModelPurpose): LlmopsError {
  return new LlmopsError(
    'invalid_input',
    `provider "${spec.provider}" has no ${purpose === 'chat' ? 'chat models' : 'embedders'} (asked for ${spec.provider}/${spec.model})`,
  );
}

/**
 * The providers llmops can build models of, by name. `createProviderRegistry()` gives one with the
 * built-in `openai` and `offline` providers; a new provider plugs in with `register(name, factory)`.
 * It is the kernel's {@link ProviderCatalog}: the registry checks specs against it at registration.
 *
 * It owns the resources its models share: the upstream connection pools (one per origin, {@link UpstreamPools}), also
 * given to the moderation clients and agent `http` tools of the pipelines built over it.
 * Whoever creates the registry closes it with {@link ProviderRegistry.close} once its models are no longer called.
 */
export class ProviderRegistry implements ProviderCatalog {
  private readonly factories = new Map<string, ProviderFactory>();
  /** The keep-alive connection pools of the models built from this registry, one per upstream origin. */
  readonly pools: UpstreamPools;

  /**
   * @param credentials the keys the deployment allows (`loadProviderCredentials` of the kernel): specs are checked
   * against them at registration, and models built from this registry read keys only through them. Without it, those
   * `process.env` declares.
   * @param pools the size of the upstream pools (connections per origin; 256 by default).
   * @throws LlmopsError `invalid_input` for connections per origin that are not a whole number from 1 to 4096.
   */
  constructor(
    readonly credentials?: ProviderCredentials,
    pools: UpstreamPoolsOptions = {},
  ) {
    this.pools = new UpstreamPools(pools);
  }

  /** The credentials specs are checked against: the given ones, or those `process.env` declares. */
  credentialsOr(env?: Record<string, string | undefined>): ProviderCredentials {
    return this.credentials ?? ProviderCredentials.from({ env: env ?? process.env });
  }

  /**
   * Adds (or replaces) the factory of a provider.
   * @throws LlmopsError `invalid_input` for a name that is not lower-case letters, digits, `-` or `_`.
   */
  register(name: string, factory: ProviderFactory): this {
    if (!providerNamePattern.test(name)) {
      throw new LlmopsError(
        'invalid_input',
        `provider name "${name}" is invalid; expected lower-case letters, digits, - and _, starting with a letter`,
      );
    }
    this.factories.set(name, factory);
    return this;
  }

  /** The registered provider names, sorted. */
  names(): string[] {
    return [...this.factories.keys()].sort();
  }

  /** True when a provider of that name is registered. */
  has(name: string): boolean {
    return this.factories.has(name);
  }

  /**
   * The factory of a provider.
   * @throws LlmopsError `invalid_input` for an unknown provider, listing the known ones.
   */
  get(name: string): ProviderFactory {
    const factory = this.factories.get(name);
    if (!factory)
      throw new LlmopsError('invalid_input', `unknown provider "${name}"; known providers: ${this.names().join(', ')}`);
    return factory;
  }

  /**
   * Closes the connections the models built from this registry hold (calls still running fail); models built from it
   * cannot call their upstream afterwards. Closing again does nothing.
   */
  close(): Promise<void> {
    return this.pools.close();
  }

  /**
   * Checks that a key variable may be sent to a URL under the registry's credentials.
   * @throws LlmopsError `invalid_input` naming the field (see `ProviderCredentials.check`).
   */
  checkCredential(request: CredentialRequest): void {
    this.credentialsOr().check(request);
  }

  /**
   * Checks a spec against its provider: the provider is registered, offers models of that purpose,
   * and (when its factory can) its provider-specific fields are valid, its key a declared credential
   * bound to its endpoint's host. Builds nothing.
   * @throws LlmopsError `invalid_input` for an unknown provider (listing the known ones), a provider
   * without models of that purpose, or a bad field.
   */
  validate(spec: ModelSpec, purpose: ModelPurpose): void {
    const factory = this.get(spec.provider);
    const builds = purpose === 'chat' ? factory.chatModel : factory.embedder;
    if (!builds) throw noModelsError(spec, purpose);
    factory.validate?.(spec, purpose, { credentials: this.credentialsOr() });
  }
}

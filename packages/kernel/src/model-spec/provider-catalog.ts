import type { CredentialRequest } from '../credentials/provider-credentials.js';
import type { ProviderModel } from './provider-model.js';

/** What a model is used for: answering (`chat`) or embedding texts for retrieval (`embedding`). */
export type ModelPurpose = 'chat' | 'embedding';

/**
 * The providers a running llmops can build models of: the port through which the registry (at
 * registration) and serving check a spec's provider. `ProviderRegistry` of `@llmops/providers`
 * implements it; a new provider is one `register` call there, with no change to the spec.
 */
export interface ProviderCatalog {
  /** True when a provider of that name is known. */
  has(provider: string): boolean;
  /** The known provider names, sorted. */
  names(): string[];
  /**
   * Checks a model's provider-specific fields and that the provider offers models of that purpose,
   * without building the model.
   * @throws LlmopsError `invalid_input` naming the bad field.
   */
  validate?(model: ProviderModel, purpose: ModelPurpose): void;
  /**
   * Checks that a key variable a spec names (an agent HTTP tool's `auth.env`) is a credential the deployment declares,
   * bound to the URL's host.
   * @throws LlmopsError `invalid_input` naming the field.
   */
  checkCredential?(request: CredentialRequest): void;
}

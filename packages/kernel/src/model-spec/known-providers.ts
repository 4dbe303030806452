import { LlmopsError } from '../errors/llmops-error.js';
import { parseProviderModel } from './provider-model.js';
import type { ModelPurpose, ProviderCatalog } from './provider-catalog.js';
import type { ModelVersionSpec } from './model-spec-schema.js';
import type { ProviderModel } from './provider-model.js';

function check(catalog: ProviderCatalog, target: { field: string; model: ProviderModel; purpose: ModelPurpose }) {
  if (!catalog.has(target.model.provider)) {
    throw new LlmopsError(
      'invalid_input',
      `${target.field}: unknown provider "${target.model.provider}"; known providers: ${catalog.names().join(', ')}`,
    );
  }
  try {
    catalog.validate?.(target.model, target.purpose);
  } catch (error) {
    const cause = LlmopsError.fromUnknown(error);
    throw new LlmopsError(cause.code, `${target.field}: ${cause.message}`, { cause });
  }
}

/**
 * Checks that a spec's providers (the chat model's, and a RAG pipeline's embedder's) are known to
 * the catalog, with valid provider-specific fields (the semantic cache's embedder too, when it is on), and that the
 * credentials of agent HTTP tools and of model rerankers (a RAG pipeline's, an agent retrieval tool's) are ones the
 * deployment declares for their hosts.
 * @throws LlmopsError `invalid_input` as `<where>: provider: unknown provider "x"; known providers: …`
 * (or `pipeline.embedder: …`).
 */
export function assertKnownProviders(spec: ModelVersionSpec, options: { catalog: ProviderCatalog; where: string }) {
  try {
    check(options.catalog, { field: 'provider', model: spec.provider, purpose: 'chat' });
    if (spec.pipeline.kind === 'rag' && spec.pipeline.embedder !== undefined) {
      const model = parseProviderModel(spec.pipeline.embedder);
      check(options.catalog, { field: 'pipeline.embedder', model, purpose: 'embedding' });
    }
    const reranker = spec.pipeline.kind === 'rag' ? spec.pipeline.retrieval.reranker : undefined;
    if (reranker?.apiKeyEnv)
      options.catalog.checkCredential?.({
        variable: reranker.apiKeyEnv,
        url: reranker.baseUrl,
        field: 'pipeline.retrieval.reranker.apiKeyEnv',
      });
    if (spec.pipeline.kind === 'agent') {
      spec.pipeline.tools.forEach((tool, index) => {
        if (tool.kind === 'http' && tool.auth)
          options.catalog.checkCredential?.({
            variable: tool.auth.env,
            url: tool.url,
            field: `pipeline.tools[${index}].auth.env`,
          });
        if (tool.kind === 'retrieval' && tool.reranker?.apiKeyEnv)
          options.catalog.checkCredential?.({
            variable: tool.reranker.apiKeyEnv,
            url: tool.reranker.baseUrl,
            field: `pipeline.tools[${index}].reranker.apiKeyEnv`,
          });
      });
    }
    const semantic = spec.cache.semantic;
    if (semantic?.enabled) {
      const model = parseProviderModel(semantic.embedder);
      check(options.catalog, { field: 'cache.semantic.embedder', model, purpose: 'embedding' });
    }
  } catch (error) {
    const cause = LlmopsError.fromUnknown(error);
    throw new LlmopsError(cause.code, `${options.where}: ${cause.message}`, { cause });
  }
}

import { LlmopsError, ProviderCredentials, systemClock } from '@llmops/kernel';
import type {
  AgentPipelineSpec,
  ChatModel,
  Clock,
  DenseRerankSpec,
  ModelRerankerSpec,
  Embedder,
  RagPipelineSpec,
  ToolSpec,
} from '@llmops/kernel';
import {
  countMessageTokens,
  createChatModel,
  createEmbedder,
  defaultApiKeyEnv,
  formatModelSpec,
  LlamaGuardClient,
  OpenAiModerationClient,
  parseModelSpec,
} from '@llmops/providers';
import type { ModelSpec, PricingTable, ProviderRegistry, UpstreamPools } from '@llmops/providers';
import { ChatModelModerationJudge } from '../adapters/judge/chat-model-moderation-judge.js';
import { defaultGuardrailPolicyName, retrievedChecksOf } from '../domain/guardrails/guardrail-policy.js';
import type { ModerationSettings } from '../domain/guardrails/guardrail-policy.js';
import type { GuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import type { ModelResolver, ModerationClient, ServableModel, ServablePipeline } from '../ports.js';
import { cacheStepFactory } from './cache-step.js';
import type { ResponseCacheSettings } from './cache-step.js';
import { AgentPromptPreparer } from './agents/agent-prompt-preparer.js';
import { AgentTeam } from './agents/agent-team.js';
import type { AgentTool } from './agents/agent-tool.js';
import { AssistantAgent } from './agents/assistant-agent.js';
import type { ToolOutputScreen } from './agents/assistant-agent.js';
import { calculatorTool } from './agents/tools/calculator-tool.js';
import { httpTool } from './agents/tools/http-tool.js';
import { registryLookupTool } from './agents/tools/registry-lookup-tool.js';
import { retrievalTool, retrievalToolSettings } from './agents/tools/retrieval-tool.js';
import { defaultCircuitBreakerSettings } from '../domain/resilience/circuit-breaker.js';
import type { CircuitBreakerSettings } from '../domain/resilience/circuit-breaker.js';
import { ChatPromptPreparer } from './chat-pipeline.js';
import { CircuitBreakers, CircuitBreakingChatModel } from './circuit-breaking-chat-model.js';
import { fallbackStepFactory } from './fallback-step.js';
import type { FallbackTargets } from './fallback-step.js';
import { GenerationPipeline } from './generation-pipeline.js';
import type { PromptPreparer } from './generation-pipeline.js';
import { GuardrailEngine } from './guardrail-engine.js';
import { guardrailStepFactory } from './guardrail-step.js';
import type { Pipeline } from './pipeline.js';
import { PassageScreen } from './passage-screen.js';
import { RagPromptPreparer } from './rag-pipeline.js';
import { LiveCorpusIndex } from './retrieval/corpus-indexer.js';
import { DenseReranker } from './retrieval/dense-reranker.js';
import { LexicalReranker } from './retrieval/passage-retriever.js';
import { miniLmEncoderAt, miniLmWeightsIdentityAt } from '../domain/retrieval/minilm/minilm-files.js';
import { FilePassageVectorStore } from '../adapters/file-system/file-passage-vector-store.js';
import { HttpPassageReranker } from '../adapters/http/http-passage-reranker.js';
import type { CorpusIndexer } from './retrieval/corpus-indexer.js';
import type { ServingStep, ServingStepFactory } from './serving-step.js';
import { orderStepFactories } from './step-chain.js';

/** What {@link PipelineFactory} needs; the app provides it. */
export interface PipelineFactoryOptions {
  /** Guardrail policies by name (`loadGuardrailPolicies('confs/guardrails.yaml')` or `builtInGuardrailPolicies()`). */
  guardrails: GuardrailPolicies;
  /** Builds and keeps RAG indexes; required for RAG model versions. */
  indexer?: CorpusIndexer;
  /** Prices for costs; without it costs are unknown (`null`). */
  pricing?: PricingTable;
  /** Where API keys are read (provider specs' and moderation's `apiKeyEnv`); `process.env` by default. */
  env?: Record<string, string | undefined>;
  /**
   * The providers chat models and embedders are built from (the same catalog the registry checks
   * specs against); `createProviderRegistry()` of `@llmops/providers` by default.
   */
  providers?: ProviderRegistry;
  /** Builds chat models from provider specs; `createChatModel` of `@llmops/providers` over `providers` by default. */
  createChatModel?: (spec: ModelSpec) => ChatModel;
  /** Builds embedders for hybrid retrieval; `createEmbedder` of `@llmops/providers` by default. */
  createEmbedder?: (spec: ModelSpec) => Embedder;
  /** Builds the moderation service of a policy; from the policy's `moderation` section by default. */
  createModeration?: (settings: ModerationSettings) => ModerationClient;
  /** Registered models, for agents' `registry_lookup` tools (the app wires its registry). */
  models?: ModelResolver;
  /**
   * The fetch of the moderation endpoint and of agents' `http` tools (tests, proxies); by default they call on the
   * upstream pools of `providers` (closed with it), or, without `providers`, on a connection per call.
   */
  fetch?: typeof globalThis.fetch;
  /** How often a RAG pipeline looks for corpus changes, in ms; 2,000 by default. */
  corpusRefreshIntervalMs?: number;
  clock?: Clock;
  /**
   * The deployment's own serving steps (one factory per step, named). They run after the built-in
   * steps of `defaultStepOrder`, in the order given, unless `stepOrder` places them.
   */
  steps?: readonly ServingStepFactory[];
  /** The order of the steps by name, outermost first, built-in ones included; `defaultStepOrder` then `steps` by default. */
  stepOrder?: readonly string[];
  /**
   * The response cache (a store shared by every version, and who hears of its failures). With it, versions whose
   * spec has `cache.enabled` (the default) get the `cache` step; without it (evaluation runs, which must measure
   * the model) nothing is cached.
   */
  cache?: ResponseCacheSettings;
  /**
   * The circuit breaker of each upstream (provider, model, base URL) the versions call; `false` turns it off.
   * By default it opens after 5 consecutive failed calls and lets a trial call through after 30 s.
   */
  circuitBreaker?: CircuitBreakerSettings | false;
  /**
   * Maps a file a model spec names (`pipeline.retrieval.dense.weights`) to the path read, or throws: the app confines
   * it to the workspace and its data roots, like every operator file. Without it the path is read as given.
   */
  confineFile?: (path: string, what: string) => string;
  /**
   * The folder where the dense rerank keeps each corpus's passage vectors (the stored indexes' `.llmops/indexes/`),
   * so a restart does not embed the passages again; without it they live in memory only.
   */
  passageVectorDirectory?: string;
}

/** What {@link PipelineFactory.create} may be given besides the version. */
export interface PipelineBuildOptions {
  /** Other versions the `fallbacks` step may hand a failed call to (the serving service gives them). */
  fallbacks?: FallbackTargets;
}

/** The key of an upstream's circuit breaker: `provider/model`, and the base URL when the spec names one. */
function upstreamOf(spec: ModelSpec): string {
  const baseUrl = (spec as { baseUrl?: unknown }).baseUrl;
  return typeof baseUrl === 'string' ? `${formatModelSpec(spec)} at ${baseUrl}` : formatModelSpec(spec);
}

/**
 * Builds the pipeline of a model version from its spec: the chat model of its provider spec, the
 * guardrail engine of its policy (with its moderation service), and for RAG the corpus index
 * (built or loaded before the pipeline is returned, so the first request does not wait for it).
 * For an agent pipeline, the model is an {@link AgentTeam} of assistant agents over the providers'
 * chat models, with the tools its spec declares.
 */
export class PipelineFactory {
  private readonly options: PipelineFactoryOptions;
  private readonly moderation = new Map<string, ModerationClient>();
  private readonly stepFactories: readonly ServingStepFactory[];
  /** The circuit breakers of the upstreams called so far (their states are shown in `/metrics`); absent when turned off. */
  readonly breakers: CircuitBreakers | undefined;

  /** @throws LlmopsError `invalid_input` when two steps share a name or `stepOrder` names an unknown step. */
  constructor(options: PipelineFactoryOptions) {
    this.options = options;
    const builtIn = [
      guardrailStepFactory((context) =>
        this.guardrailEngine(context.model, context.chatModel?.modelId ?? context.model.provider.model),
      ),
      ...(options.cache
        ? [cacheStepFactory({ ...options.cache, embedderFor: (spec: string) => this.embedder(spec) })]
        : []),
      fallbackStepFactory(),
    ];
    this.breakers =
      options.circuitBreaker === false
        ? undefined
        : new CircuitBreakers({
            settings: options.circuitBreaker ?? defaultCircuitBreakerSettings,
            clock: options.clock ?? systemClock,
          });
    this.stepFactories = orderStepFactories({
      available: [...builtIn, ...(options.steps ?? [])],
      ...(options.stepOrder ? { order: options.stepOrder } : {}),
    });
  }

  /** The steps of a model version, outermost first: those whose factory applies to its spec. */
  private async steps(
    model: ServableModel,
    chatModel: ChatModel | undefined,
    build: PipelineBuildOptions,
  ): Promise<ServingStep[]> {
    const context = {
      model,
      ...(chatModel ? { chatModel } : {}),
      clock: this.options.clock ?? systemClock,
      ...(build.fallbacks ? { fallbacks: build.fallbacks } : {}),
    };
    const steps: ServingStep[] = [];
    for (const factory of this.stepFactories) {
      const step = await factory.create(context);
      if (step) steps.push(step);
    }
    return steps;
  }

  /** The keys the deployment allows: the provider registry's, else those the environment declares. */
  private credentials(): ProviderCredentials {
    const env = this.options.env ?? process.env;
    return this.options.providers?.credentialsOr(env) ?? ProviderCredentials.from({ env });
  }

  /**
   * How moderation clients and agents' `http` tools call: the injected fetch, else the provider registry's pools (one
   * per origin, no credentials, no redirects, closed with the registry; see `wiki/Architecture.md`).
   */
  private upstream(): { fetch: typeof globalThis.fetch } | { pools: UpstreamPools } | Record<string, never> {
    if (this.options.fetch) return { fetch: this.options.fetch };
    return this.options.providers ? { pools: this.options.providers.pools } : {};
  }

  /** What the providers' factories get: the environment, the clock, and the provider registry. */
  private modelOptions() {
    return {
      env: this.options.env ?? process.env,
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      ...(this.options.providers ? { registry: this.options.providers } : {}),
    };
  }

  private chatModel(spec: ModelSpec): ChatModel {
    return this.options.createChatModel
      ? this.options.createChatModel(spec)
      : createChatModel(spec, this.modelOptions());
  }

  /** The chat model behind its upstream's circuit breaker (offline models have no upstream to guard). */
  private guarded(spec: ModelSpec, chatModel: ChatModel): ChatModel {
    if (!this.breakers || spec.provider === 'offline') return chatModel;
    return new CircuitBreakingChatModel(chatModel, this.breakers.for(upstreamOf(spec)));
  }

  private embedder(spec: string): Embedder {
    const resolved = parseModelSpec(spec);
    return this.options.createEmbedder
      ? this.options.createEmbedder(resolved)
      : createEmbedder(resolved, this.modelOptions());
  }

  /**
   * The API key a policy's moderation names by variable, read like providers' keys (only a credential the deployment
   * declares for the endpoint's host); `undefined` when it names none.
   * @throws LlmopsError `invalid_input` when the variable is not a credential declared for that host, or is not set
   * (naming the variable, never a value).
   */
  private apiKeyOf(
    policyName: string,
    settings: { apiKeyEnv?: string | undefined; baseUrl: string },
  ): string | undefined {
    const variable = settings.apiKeyEnv;
    if (variable === undefined) return undefined;
    this.credentials().check({
      variable,
      url: settings.baseUrl,
      field: `guardrail policy "${policyName}": moderation.apiKeyEnv`,
    });
    const apiKey = (this.options.env ?? process.env)[variable]?.trim();
    if (!apiKey) {
      throw new LlmopsError(
        'invalid_input',
        `guardrail policy "${policyName}": moderation needs the API key in environment variable ${variable}, which is not set`,
      );
    }
    return apiKey;
  }

  private moderationFor(policyName: string, settings: ModerationSettings): ModerationClient {
    const known = this.moderation.get(policyName);
    if (known) return known;
    let client: ModerationClient;
    if (this.options.createModeration) {
      client = this.options.createModeration(settings);
    } else if (settings.kind === 'openai') {
      const env = this.options.env ?? process.env;
      const credentials = this.credentials();
      const required = settings.apiKeyEnv !== undefined || new URL(settings.baseUrl).hostname === 'api.openai.com';
      const field = `guardrail policy "${policyName}": moderation.apiKeyEnv`;
      const variable = settings.apiKeyEnv ?? defaultApiKeyEnv;
      // The key goes only where the deployment's credentials allow; the default one elsewhere is simply not sent.
      if (required) credentials.check({ variable, url: settings.baseUrl, field });
      const apiKey = credentials.allows(variable, settings.baseUrl) ? env[variable]?.trim() : undefined;
      if (required && !apiKey) {
        throw new LlmopsError(
          'invalid_input',
          `guardrail policy "${policyName}": moderation needs the API key in environment variable ${variable}, which is not set`,
        );
      }
      client = new OpenAiModerationClient({
        baseUrl: settings.baseUrl,
        model: settings.model,
        timeoutMs: settings.timeoutMs,
        ...(apiKey ? { apiKey } : {}),
        ...(settings.threshold === undefined ? {} : { threshold: settings.threshold }),
        ...this.upstream(),
      });
    } else if (settings.kind === 'llama_guard') {
      const apiKey = this.apiKeyOf(policyName, settings);
      client = new LlamaGuardClient({
        baseUrl: settings.baseUrl,
        model: settings.model,
        timeoutMs: settings.timeoutMs,
        api: settings.api,
        ...(apiKey ? { apiKey } : {}),
        ...(settings.hazards ? { hazards: settings.hazards } : {}),
        ...this.upstream(),
      });
    } else {
      const spec: ModelSpec = {
        ...parseModelSpec(settings.model),
        ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
        ...(settings.apiKeyEnv ? { apiKeyEnv: settings.apiKeyEnv } : {}),
      };
      client = new ChatModelModerationJudge({ model: this.chatModel(spec), timeoutMs: settings.timeoutMs });
    }
    this.moderation.set(policyName, client);
    return client;
  }

  private guardrailEngine(model: ServableModel, tokenizerModelId: string): GuardrailEngine {
    const policyName = model.guardrails ?? defaultGuardrailPolicyName;
    const policy = this.options.guardrails.get(policyName);
    const moderation = policy.moderation ? this.moderationFor(policyName, policy.moderation) : undefined;
    return new GuardrailEngine({
      policyName,
      policy,
      ...(moderation ? { moderation } : {}),
      countMessageTokens: (messages) => countMessageTokens(messages, tokenizerModelId),
      ...(this.options.clock ? { clock: this.options.clock } : {}),
    });
  }

  private async ragPreparer(
    model: ServableModel,
    spec: ServablePipeline<RagPipelineSpec>,
    chatModel: ChatModel,
  ): Promise<PromptPreparer> {
    const where = `model ${model.name}/${model.version}`;
    if (!this.options.indexer)
      throw new LlmopsError('internal', `${where} is a RAG pipeline but serving was started without a corpus indexer`);
    const index = new LiveCorpusIndex({
      indexer: this.options.indexer,
      request: {
        corpus: spec.corpus,
        chunking: spec.retrieval.chunking,
        ...(spec.retrieval.redactPii ? { redactPii: true } : {}),
        ...(spec.embedder ? { embedder: this.embedder(spec.embedder) } : {}),
      },
      ...(this.options.corpusRefreshIntervalMs === undefined
        ? {}
        : { refreshIntervalMs: this.options.corpusRefreshIntervalMs }),
      ...(this.options.clock ? { clock: this.options.clock } : {}),
    });
    const reranker = this.denseReranker(spec.retrieval.dense, spec.corpus, 'pipeline.retrieval.dense.weights');
    // Checked before the index is built, so an undeclared key variable fails the start at once, naming the field.
    const modelReranker = this.modelReranker(spec.retrieval.reranker, 'pipeline.retrieval.reranker');
    await Promise.all([index.get(), reranker?.load()]);
    return new RagPromptPreparer({
      ...(reranker ? { reranker } : {}),
      ...(modelReranker ? { modelReranker } : {}),
      ...(spec.prompt ? { prompt: spec.prompt } : {}),
      corpus: spec.corpus,
      index,
      retrieval: spec.retrieval,
      tokenBudget: spec.tokenBudget,
      modelId: chatModel.modelId,
      screen: new PassageScreen(
        retrievedChecksOf(this.options.guardrails.get(model.guardrails ?? defaultGuardrailPolicyName)),
      ),
    });
  }

  /**
   * The lexical rerank with the MiniLM signal added, when the spec asks for it (`retrieval.dense`); its weights file
   * is confined and read here, so a missing file fails the version's start, naming the field and the path.
   */
  private denseReranker(dense: DenseRerankSpec | undefined, corpus: string, field: string): DenseReranker | undefined {
    if (!dense) return undefined;
    const path = this.options.confineFile ? this.options.confineFile(dense.weights, field) : dense.weights;
    const directory = this.options.passageVectorDirectory;
    return new DenseReranker({
      lexical: new LexicalReranker(),
      encoder: miniLmEncoderAt(path, field),
      weight: dense.weight,
      ...(directory
        ? { store: new FilePassageVectorStore({ directory, corpus, weights: miniLmWeightsIdentityAt(path, field) }) }
        : {}),
    });
  }

  /**
   * The model reranker of a spec's `reranker` block (a RAG pipeline's `retrieval.reranker`, an agent retrieval tool's
   * `reranker`), undefined without one.
   * @throws LlmopsError `invalid_input` naming `<field>.apiKeyEnv` when its key variable is not declared for its host.
   */
  private modelReranker(spec: ModelRerankerSpec | undefined, field: string): HttpPassageReranker | undefined {
    if (!spec) return undefined;
    return new HttpPassageReranker(spec, {
      env: this.options.env ?? process.env,
      credentials: this.credentials(),
      ...this.upstream(),
      field,
    });
  }

  /** Builds one declared tool of an agent pipeline. */
  private async tool(model: ServableModel, spec: ToolSpec): Promise<AgentTool> {
    const where = `model ${model.name}/${model.version}: tool ${spec.name}`;
    switch (spec.kind) {
      case 'calculator':
        return calculatorTool(spec);
      case 'http':
        return httpTool(spec, {
          env: this.options.env ?? process.env,
          credentials: this.credentials(),
          ...this.upstream(),
        });
      case 'registry_lookup':
        if (!this.options.models)
          throw new LlmopsError('internal', `${where} looks up the registry, but serving was started without one`);
        return registryLookupTool(spec, this.options.models);
      case 'retrieval': {
        if (!this.options.indexer)
          throw new LlmopsError(
            'internal',
            `${where} searches a corpus, but serving was started without a corpus indexer`,
          );
        const index = new LiveCorpusIndex({
          indexer: this.options.indexer,
          request: { corpus: spec.corpus, chunking: retrievalToolSettings(spec.k).chunking },
          ...(this.options.corpusRefreshIntervalMs === undefined
            ? {}
            : { refreshIntervalMs: this.options.corpusRefreshIntervalMs }),
          ...(this.options.clock ? { clock: this.options.clock } : {}),
        });
        const reranker = this.denseReranker(spec.dense, spec.corpus, `pipeline.tools.${spec.name}.dense.weights`);
        const modelReranker = this.modelReranker(spec.reranker, `pipeline.tools.${spec.name}.reranker`);
        await Promise.all([index.get(), reranker?.load()]);
        return retrievalTool(spec, index, {
          ...(reranker ? { reranker } : {}),
          ...(modelReranker ? { modelReranker } : {}),
        });
      }
    }
  }

  /**
   * What agents do with tool outputs: they are read as retrieved passages are (the policy's `retrieved` checks, see
   * `retrievedChecksOf`: injection and harmful content, the text whole and in pieces), and a passage the checks would
   * drop or quarantine is withheld from the model; a flagged one is recorded.
   */
  private toolOutputScreen(model: ServableModel): ToolOutputScreen | undefined {
    const policy = this.options.guardrails.get(model.guardrails ?? defaultGuardrailPolicyName);
    const screen = new PassageScreen(retrievedChecksOf(policy));
    if (!screen.active) return undefined;
    return (text) => {
      const [screening] = screen.screen([{ id: 'tool-output', source: 'tool', text, tokens: 0, score: 1 }]).screenings;
      if (!screening) return { action: 'pass', categories: [] };
      return { action: screening.action === 'flag' ? 'flag' : 'withhold', categories: screening.categories };
    };
  }

  /** The agent team of an agent pipeline: its tools, its agents over their chat models, its team and termination. */
  private async agentTeam(
    model: ServableModel,
    spec: ServablePipeline<AgentPipelineSpec>,
    chatModel: ChatModel,
  ): Promise<AgentTeam> {
    const tools = new Map<string, AgentTool>();
    for (const toolSpec of spec.tools) tools.set(toolSpec.name, await this.tool(model, toolSpec));
    const screen = this.toolOutputScreen(model);
    const agents = spec.agents.map(
      (agent) =>
        new AssistantAgent({
          name: agent.name,
          description: agent.description,
          ...(agent.system ? { system: agent.system } : {}),
          model: agent.provider ? this.chatModel(agent.provider) : chatModel,
          tools: agent.tools.map((name) => tools.get(name) as AgentTool),
          handoffs: agent.handoffs,
          maxToolIterations: agent.maxToolIterations,
          reflectOnToolUse: agent.reflectOnToolUse,
          ...(screen ? { screen } : {}),
        }),
    );
    return new AgentTeam({
      agents,
      ...(spec.team ? { team: spec.team } : {}),
      termination: spec.termination,
      model: chatModel,
      ...(this.options.clock ? { clock: this.options.clock } : {}),
    });
  }

  /**
   * The serving steps of a version's embeddings calls (`POST /v1/embeddings`): the same factories in the same order
   * as its chat pipeline's, built without a chat model. The steps that wrap embeddings act (monitoring, limits,
   * guardrails' input checks, the response cache, fallbacks when `build.fallbacks` is given); others let the call pass.
   * @throws LlmopsError `invalid_input` for an unknown guardrail policy or a missing moderation API key variable.
   */
  embeddingSteps(model: ServableModel, build: PipelineBuildOptions = {}): Promise<ServingStep[]> {
    return this.steps(model, undefined, build);
  }

  /**
   * The pipeline of a model version.
   * The spec's bounds are the kernel schema's, checked at registration; they are not checked again here.
   * @throws LlmopsError `invalid_input` for an unknown guardrail policy, a missing API key variable, an unreadable
   * corpus, or (with `build.fallbacks`) a fallback chain that leads back to a version already in it; `internal` for
   * an agent tool whose service the app did not wire.
   */
  async create(model: ServableModel, build: PipelineBuildOptions = {}): Promise<Pipeline> {
    const pipeline = model.pipeline;
    const chatModel = this.guarded(model.provider, this.chatModel(model.provider));
    const steps = await this.steps(model, chatModel, build);
    const prompt = pipeline.prompt ? { prompt: pipeline.prompt } : {};
    const preparer =
      pipeline.kind === 'rag'
        ? await this.ragPreparer(model, pipeline, chatModel)
        : pipeline.kind === 'agent'
          ? new AgentPromptPreparer(prompt)
          : new ChatPromptPreparer(prompt);
    return new GenerationPipeline({
      model,
      chatModel: pipeline.kind === 'agent' ? await this.agentTeam(model, pipeline, chatModel) : chatModel,
      preparer,
      steps,
      ...(this.options.pricing ? { pricing: this.options.pricing } : {}),
      clock: this.options.clock ?? systemClock,
    });
  }
}

import { z } from 'zod';
import { denseRerankSchema } from './dense-rerank-spec.js';
import { modelRerankerSchema } from './model-reranker-spec.js';
import { providerModelSchema } from './provider-model.js';

/**
 * The agent pipeline's schema: AutoGen AgentChat's concepts (assistant agents with a tool loop,
 * round-robin and selector teams, termination conditions) declared in a model spec. Serving runs
 * it over the kernel's `ChatModel` port.
 */

/** The bounds of an agent pipeline's settings, the only place they are written. */
export const agentBounds = {
  agents: { max: 8 },
  tools: { max: 32 },
  maxToolIterations: { min: 1, max: 10 },
  maxTurns: { min: 1, max: 50 },
  maxMessages: { min: 2, max: 200 },
  tokenBudget: { min: 100, max: 10_000_000 },
  timeoutMs: { min: 100, max: 600_000 },
  toolK: { min: 1, max: 20 },
  toolTimeoutMs: { min: 100, max: 60_000 },
  maxResponseChars: { min: 100, max: 100_000 },
} as const;

/** The defaults of an agent pipeline, the only place they are written. */
export const agentDefaults = {
  maxToolIterations: 3,
  reflectOnToolUse: true,
  maxTurns: 10,
  toolK: 4,
  toolTokenBudget: 1000,
  toolTimeoutMs: 10_000,
  maxResponseChars: 4000,
  handoffTarget: 'user',
} as const;

const namePattern = /^[A-Za-z0-9_-]{1,64}$/;

/** A tool's or an agent's name: what the model calls it by (OpenAI's rule for function names). */
const identifierSchema = (what: 'tool' | 'agent') =>
  z.string().regex(namePattern, `expected a ${what} name of 1-64 characters A-Z a-z 0-9 _ -`);

const toolBase = {
  name: identifierSchema('tool'),
  /** What the model is told the tool does. */
  description: z.string().max(1000).optional(),
};

/** A placeholder of a URL template: `{city}`. */
const placeholder = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The origin of a URL template, checked to hold no placeholder, so the host a tool calls is the one written in the conf. */
function fixedOrigin(template: string): URL | undefined {
  const origin = /^(https?:\/\/[^/?#]*)/i.exec(template)?.[1];
  if (origin === undefined || origin.includes('{')) return undefined;
  try {
    return new URL(origin);
  } catch {
    return undefined;
  }
}

/**
 * Where an HTTP tool's credential comes from: an environment variable read when the tool is called
 * (never written into the spec), sent in one header to the tool's own host only.
 */
export const httpToolAuthSchema = z.strictObject({
  /** The environment variable holding the secret. */
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'),
  header: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'expected an HTTP header name')
    .default('authorization'),
  /** Written before the secret (`Bearer <secret>`); empty for the bare secret. */
  scheme: z.string().default('Bearer'),
});

/**
 * A JSON Schema of a tool's arguments (an object schema); serving validates the model's arguments
 * with the zod schema made from it.
 */
const argumentsSchemaSchema = z
  .looseObject({
    type: z.literal('object', { error: 'expected a JSON Schema of type object' }),
    properties: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    required: z.array(z.string()).optional(),
  })
  .default({ type: 'object', properties: {} });

/** A tool calling one HTTP endpoint whose host is fixed in the conf; arguments fill the URL's `{placeholders}`. */
export const httpToolSchema = z
  .strictObject({
    ...toolBase,
    kind: z.literal('http'),
    method: z.enum(['GET', 'POST']).default('GET'),
    /** `https://api.example.com/weather?city={city}`: placeholders only after the host; values are URL-encoded. */
    url: z.string().min(1),
    parameters: argumentsSchemaSchema,
    /** Fixed headers (never secrets: use `auth`). */
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'expected an HTTP header name'), z.string()).default({}),
    auth: httpToolAuthSchema.optional(),
    timeoutMs: z
      .number()
      .int()
      .min(agentBounds.toolTimeoutMs.min)
      .max(agentBounds.toolTimeoutMs.max)
      .default(agentDefaults.toolTimeoutMs),
    /** The response text handed to the model is cut to this many characters. */
    maxResponseChars: z
      .number()
      .int()
      .min(agentBounds.maxResponseChars.min)
      .max(agentBounds.maxResponseChars.max)
      .default(agentDefaults.maxResponseChars),
  })
  .superRefine((tool, context) => {
    const origin = fixedOrigin(tool.url);
    if (!origin) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        message:
          'expected an http(s) URL whose scheme and host are written out, with {placeholders} only in its path or query (a tool never chooses its host)',
      });
    } else if (origin.username !== '' || origin.password !== '') {
      context.addIssue({ code: 'custom', path: ['url'], message: 'expected no credentials in the URL: use auth' });
    }
    const properties = Object.keys(tool.parameters.properties);
    for (const match of tool.url.matchAll(placeholder)) {
      if (!properties.includes(match[1] as string)) {
        context.addIssue({
          code: 'custom',
          path: ['url'],
          message: `placeholder {${match[1]}} is not a property of parameters (expected one of: ${properties.join(', ') || 'none'})`,
        });
      }
    }
    for (const name of Object.keys(tool.headers)) {
      if (/^(authorization|proxy-authorization|cookie|x-api-key|api-key)$/i.test(name)) {
        context.addIssue({
          code: 'custom',
          path: ['headers', name],
          message: `header ${name} carries a credential: declare it with auth (read from an environment variable), not in the spec`,
        });
      }
    }
  });

/** Search over a corpus, with the RAG pipeline's retrieval: the numbered passages are the tool's result. */
export const retrievalToolSchema = z.strictObject({
  ...toolBase,
  kind: z.literal('retrieval'),
  /** A folder of documents or a `.jsonl` file, relative to the workspace (as a RAG pipeline's `corpus`). */
  corpus: z.string().min(1, 'expected the corpus location, for example confs/data/kb/'),
  /** Passages returned. */
  k: z.number().int().min(agentBounds.toolK.min).max(agentBounds.toolK.max).default(agentDefaults.toolK),
  /** Most tokens of passages in the result. */
  tokenBudget: z.number().int().min(16).default(agentDefaults.toolTokenBudget),
  /** The MiniLM signal added to the tool's lexical rerank, as a RAG pipeline's `retrieval.dense`; off when absent. */
  dense: denseRerankSchema.optional(),
  /** A cross-encoder or LLM reranker over HTTP after the lexical rerank, as a RAG pipeline's `retrieval.reranker`. */
  reranker: modelRerankerSchema.optional(),
});

/** Looks up a registered model (its version, provider, pipeline, pinned prompt) by reference. */
export const registryLookupToolSchema = z.strictObject({ ...toolBase, kind: z.literal('registry_lookup') });

/** Evaluates arithmetic (`+ - * / % ^`, parentheses, a few functions) with a parser, never `eval`. */
export const calculatorToolSchema = z.strictObject({ ...toolBase, kind: z.literal('calculator') });

/** A tool the agents of a pipeline may call, by kind. */
export const toolSpecSchema = z.discriminatedUnion(
  'kind',
  [httpToolSchema, retrievalToolSchema, registryLookupToolSchema, calculatorToolSchema],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'expected a tool kind: http, retrieval, registry_lookup or calculator'
        : undefined,
  },
);

/** An assistant agent: a system message, the tools it may call, and the agents it may hand off to. */
export const agentSpecSchema = z.strictObject({
  name: identifierSchema('agent'),
  /** What the agent does; a selector team shows it when choosing the next speaker. */
  description: z.string().max(1000).default(''),
  /** Its system message; without one, the pipeline's pinned prompt. */
  system: z.string().min(1).optional(),
  /** Its chat model; the version's `provider` by default. */
  provider: providerModelSchema.optional(),
  /** Names of the pipeline's tools it may call. */
  tools: z.array(identifierSchema('tool')).default([]),
  /** Names of agents (or the termination's handoff target) it may transfer to, with a `transfer_to_<name>` tool. */
  handoffs: z.array(identifierSchema('agent')).default([]),
  /** Most model → tools rounds in one turn. */
  maxToolIterations: z
    .number()
    .int()
    .min(agentBounds.maxToolIterations.min)
    .max(agentBounds.maxToolIterations.max)
    .default(agentDefaults.maxToolIterations),
  /** After tool calls, ask the model again to answer from the results (true), or answer with the results (false). */
  reflectOnToolUse: z.boolean().default(agentDefaults.reflectOnToolUse),
});

const maxTurnsSchema = z
  .number()
  .int()
  .min(agentBounds.maxTurns.min)
  .max(agentBounds.maxTurns.max)
  .default(agentDefaults.maxTurns);

/** How the agents take turns: in order (round robin), or chosen each turn by the model or by name mentions (selector). */
export const teamSpecSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('round_robin'), maxTurns: maxTurnsSchema }),
    z.strictObject({
      kind: z.literal('selector'),
      maxTurns: maxTurnsSchema,
      /** `model`: the version's model picks from the agents' names and descriptions; `mention`: the agent named last in the last message. */
      by: z.enum(['model', 'mention']).default('model'),
      /** Whether the same agent may speak twice in a row. */
      allowRepeatedSpeaker: z.boolean().default(false),
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'expected a team kind: round_robin or selector' : undefined) },
);

/** When a run ends: any (or all) of the conditions given; a team also stops after `maxTurns` turns. */
export const terminationSpecSchema = z
  .strictObject({
    /** Messages in the run: the task, then one per agent turn (tool calls are not messages). */
    maxMessages: z.number().int().min(agentBounds.maxMessages.min).max(agentBounds.maxMessages.max).optional(),
    /** An agent's message containing this text (`TERMINATE`). */
    textMention: z.string().min(1).optional(),
    /** Prompt plus completion tokens of every model call of the run. */
    tokenBudget: z.number().int().min(agentBounds.tokenBudget.min).max(agentBounds.tokenBudget.max).optional(),
    /** Time since the run started, in ms; a model or tool call still running then is aborted. */
    timeoutMs: z.number().int().min(agentBounds.timeoutMs.min).max(agentBounds.timeoutMs.max).optional(),
    /** A handoff to this target (`user`) ends the run. */
    handoff: identifierSchema('agent').optional(),
    /** `any`: the first condition met ends the run (AutoGen's `|`); `all`: every one must be met (`&`). */
    combine: z.enum(['any', 'all']).default('any'),
  })
  .default({ combine: 'any' });

/** The agent pipeline's part of a model spec. */
export const agentPipelineShape = {
  kind: z.literal('agent'),
  /** The tools agents may call (declared once, named by each agent). */
  tools: z.array(toolSpecSchema).max(agentBounds.tools.max).default([]),
  /** The agents; the first speaks first. */
  agents: z
    .array(agentSpecSchema)
    .min(1, 'expected at least one agent')
    .max(agentBounds.agents.max, `expected at most ${agentBounds.agents.max} agents`),
  /** Needed with more than one agent; one agent without a team answers in one turn. */
  team: teamSpecSchema.optional(),
  termination: terminationSpecSchema,
};

type AgentPipelineLike = {
  tools: { name: string }[];
  agents: { name: string; tools: string[]; handoffs: string[] }[];
  team?: { kind: string } | undefined;
  termination: { handoff?: string | undefined };
};

/** Cross-field rules: unique names, tools and handoff targets that exist, a team for several agents. */
export function checkAgentPipeline(pipeline: AgentPipelineLike, context: z.RefinementCtx): void {
  const toolNames = pipeline.tools.map((tool) => tool.name);
  const agentNames = pipeline.agents.map((agent) => agent.name);
  const duplicate = (names: string[], index: number) => names.indexOf(names[index] as string) !== index;
  toolNames.forEach((name, index) => {
    if (duplicate(toolNames, index))
      context.addIssue({ code: 'custom', path: ['tools', index, 'name'], message: `tool ${name} is declared twice` });
  });
  agentNames.forEach((name, index) => {
    if (duplicate(agentNames, index))
      context.addIssue({ code: 'custom', path: ['agents', index, 'name'], message: `agent ${name} is declared twice` });
  });
  const handoffTarget = pipeline.termination.handoff;
  pipeline.agents.forEach((agent, index) => {
    agent.tools.forEach((tool, toolIndex) => {
      if (!toolNames.includes(tool)) {
        context.addIssue({
          code: 'custom',
          path: ['agents', index, 'tools', toolIndex],
          message: `tool ${tool} is not declared in pipeline.tools (expected one of: ${toolNames.join(', ') || 'none'})`,
        });
      }
    });
    agent.handoffs.forEach((target, targetIndex) => {
      const known = (agentNames.includes(target) && target !== agent.name) || target === handoffTarget;
      if (!known) {
        context.addIssue({
          code: 'custom',
          path: ['agents', index, 'handoffs', targetIndex],
          message: `handoff target ${target} is neither another agent nor termination.handoff (expected one of: ${[...agentNames.filter((name) => name !== agent.name), ...(handoffTarget ? [handoffTarget] : [])].join(', ') || 'none'})`,
        });
      }
    });
  });
  if (pipeline.agents.length > 1 && !pipeline.team) {
    context.addIssue({
      code: 'custom',
      path: ['team'],
      message: 'expected a team (round_robin or selector) for more than one agent',
    });
  }
  if (handoffTarget !== undefined && agentNames.includes(handoffTarget)) {
    context.addIssue({
      code: 'custom',
      path: ['termination', 'handoff'],
      message: `handoff target ${handoffTarget} is an agent; expected a target outside the team, such as user`,
    });
  }
}

/** A tool of an agent pipeline, defaults filled in. */
export type ToolSpec = z.output<typeof toolSpecSchema>;
/** An HTTP tool, defaults filled in. */
export type HttpToolSpec = z.output<typeof httpToolSchema>;
/** A retrieval tool, defaults filled in. */
export type RetrievalToolSpec = z.output<typeof retrievalToolSchema>;
/** An agent of an agent pipeline, defaults filled in. */
export type AgentSpec = z.output<typeof agentSpecSchema>;
/** The team of an agent pipeline, defaults filled in. */
export type TeamSpec = z.output<typeof teamSpecSchema>;
/** The termination conditions of an agent pipeline, defaults filled in. */
export type TerminationSpec = z.output<typeof terminationSpecSchema>;

import { existsSync, readFileSync } from 'node:fs';
import { LlmopsError } from '@llmops/kernel';
import { createWorkspaceProviders } from '@llmops/composition';
import type { ChatMessage, ChatModel, ChatModelRequest } from '@llmops/kernel';
import type { ProviderRegistry } from '@llmops/providers';
import { chunkWith, chunkingTools, documentChunking } from '@llmops/serving';
import {
  collectChatCompletion,
  createChatModel,
  defaultPricingFile,
  formatContextPassages,
  formatModelSpec,
  loadPricingTable,
  parseModelSpec,
} from '@llmops/providers';
import type { CommandContext } from '../cli-io.js';
import type { ChatCommandOptions } from './chat-command.js';
import { chatWithRegisteredModel, isRegistryReference } from '../serving/served-chat.js';
import { workspaceFile } from '../workspace-file.js';

/** Builds the messages: the system text and the context files (numbered passages, cut as corpus documents are), then the question. */
function buildMessages(
  options: ChatCommandOptions,
  context: { cwd: string; env: Record<string, string | undefined>; message: string },
): ChatMessage[] {
  const passages = options.contextFile.flatMap((file) => {
    const path = workspaceFile(context, file, '--context-file');
    if (!existsSync(path)) throw new LlmopsError('invalid_input', `--context-file ${file} not found`);
    // Cut as a corpus document is, so a heading is the passages' title and section, never quoted as text.
    return chunkWith({ source: file, text: readFileSync(path, 'utf8') }, documentChunking, chunkingTools);
  });
  const system = [options.system, passages.length > 0 ? formatContextPassages(passages) : undefined]
    .filter(Boolean)
    .join('\n\n');
  return [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    { role: 'user' as const, content: context.message },
  ];
}

function createModel(
  options: ChatCommandOptions,
  workspace: { env: Record<string, string | undefined>; providers: ProviderRegistry },
): ChatModel {
  const spec = parseModelSpec(options.model, { knownProviders: ['offline', 'openai'] });
  if ((options.baseUrl || options.apiKeyEnv) && spec.provider !== 'openai') {
    throw new LlmopsError(
      'invalid_input',
      `--base-url and --api-key-env apply to openai/<model> only, not to ${options.model}`,
    );
  }
  const withEndpoint = {
    ...spec,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.apiKeyEnv ? { apiKeyEnv: options.apiKeyEnv } : {}),
  };
  // The key goes only where the workspace's credentials allow (confs/credentials.yaml, LLMOPS_PROVIDER_KEY_*).
  return createChatModel(withEndpoint, { env: workspace.env, registry: workspace.providers });
}

/** The cost of a call from the pricing table in the working directory (confined like any file), or null when unknown. */
function costOf(
  model: ChatModel,
  usage: Parameters<ReturnType<typeof loadPricingTable>['cost']>[1] | undefined,
  io: { cwd: string; env: Record<string, string | undefined> },
): number | null {
  const file = workspaceFile(io, defaultPricingFile, 'pricing file');
  if (!usage || !existsSync(file)) return null;
  return loadPricingTable(file).cost(formatModelSpec({ provider: model.provider, model: model.modelId }), usage);
}

/**
 * Runs `llmops chat`: a registry reference through the serving pipeline of its version, a provider spec straight to
 * the model (streamed when asked), `--json` with the cost.
 * @throws LlmopsError `invalid_input` for an empty message and for options that do not apply to the model given; the
 *   model's errors.
 */
export async function runChat(
  context: CommandContext,
  message: string,
  commandOptions: ChatCommandOptions,
): Promise<void> {
  const { io } = context;
  if (message.trim() === '') {
    throw new LlmopsError(
      'invalid_input',
      'the message (the last argument of llmops chat) is empty; expected a question, such as "How do refunds work?"',
    );
  }
  if (isRegistryReference(commandOptions.model)) {
    if (commandOptions.baseUrl || commandOptions.apiKeyEnv || commandOptions.contextFile.length > 0) {
      throw new LlmopsError(
        'invalid_input',
        `--base-url, --api-key-env and --context-file apply to provider specs, not to the registered model ${commandOptions.model}`,
      );
    }
    const messages = buildMessages(commandOptions, { cwd: io.cwd, env: io.env, message });
    await chatWithRegisteredModel(context, {
      reference: commandOptions.model,
      messages,
      stream: commandOptions.stream,
    });
    return;
  }
  // The providers' upstream connections are closed once the answer is printed, however the call ends.
  const providers = createWorkspaceProviders({ cwd: io.cwd, env: io.env });
  try {
    await chatWithProviderSpec(context, message, { ...commandOptions, providers });
  } finally {
    await providers.close();
  }
}

/** `llmops chat` with a provider spec: the model called straight (streamed when asked), `--json` with the cost. */
async function chatWithProviderSpec(
  context: CommandContext,
  message: string,
  commandOptions: ChatCommandOptions & { providers: ProviderRegistry },
): Promise<void> {
  const { io, globals } = context;
  const model = createModel(commandOptions, { env: io.env, providers: commandOptions.providers });
  const request: ChatModelRequest = { messages: buildMessages(commandOptions, { cwd: io.cwd, env: io.env, message }) };
  if (commandOptions.stream && !globals.json) {
    const chunks = [];
    for await (const chunk of model.stream(request)) {
      chunks.push(chunk);
      const text = chunk.choices[0]?.delta.content;
      if (text) io.stdout(text);
    }
    io.stdout('\n');
    return;
  }
  const completion = commandOptions.stream
    ? await collectChatCompletion(model.stream(request))
    : await model.generate(request);
  if (globals.json) {
    const cost = costOf(model, completion.usage, io);
    io.stdout(`${JSON.stringify({ ...completion, llmops: { cost_usd: cost } }, null, 2)}\n`);
  } else {
    io.stdout(`${completion.choices[0]?.message.content ?? ''}\n`);
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LlmopsError } from '@llmops/kernel';
import { createWorkspaceProviders } from '@llmops/composition';
import type { ChatMessage, ChatModel, ChatModelRequest } from '@llmops/kernel';
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
import { chatWithRegisteredModel, isRegistryReference } from '../serving/served-chat.js';

/** Options of `llmops chat`. */
interface ChatCommandOptions {
  model: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  contextFile: string[];
  system?: string;
  stream: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Builds the messages: the system text and the context files (one numbered passage each), then the question. */
function buildMessages(options: ChatCommandOptions, context: { cwd: string; message: string }): ChatMessage[] {
  const passages = options.contextFile.map((file) => {
    const path = resolve(context.cwd, file);
    if (!existsSync(path)) throw new LlmopsError('invalid_input', `--context-file ${file} not found`);
    return { source: file, text: readFileSync(path, 'utf8') };
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
  workspace: { cwd: string; env: Record<string, string | undefined> },
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
  return createChatModel(withEndpoint, { env: workspace.env, registry: createWorkspaceProviders(workspace) });
}

/** The cost of a call from the pricing table in the working directory, or null when unknown. */
function costOf(
  model: ChatModel,
  usage: Parameters<ReturnType<typeof loadPricingTable>['cost']>[1] | undefined,
  cwd: string,
): number | null {
  const file = resolve(cwd, defaultPricingFile);
  if (!usage || !existsSync(file)) return null;
  return loadPricingTable(file).cost(formatModelSpec({ provider: model.provider, model: model.modelId }), usage);
}

/**
 * `llmops chat --model <spec> [--base-url URL] [--api-key-env VAR] [--context-file FILE]... [--system TEXT] [--stream] <message>`:
 * one question to a model. A registry reference (`name@alias`, `name/3`, `name`) goes through the
 * serving pipeline of the registered version (prompt, retrieval, guardrails, citations). `--json` (global) prints the whole completion with usage and cost.
 */
export function registerChatCommand(program: Command, options: { context: () => CommandContext }): void {
  program
    .command('chat')
    .description(
      'ask a model one question: a registered model (name@alias, name/3, name: through its serving pipeline), offline/extractive (no key) or openai/<model-id> (any OpenAI-compatible endpoint)',
    )
    .argument('<message>', 'the question')
    .requiredOption(
      '--model <spec>',
      'a registry reference (name@alias, name/3, name), offline/extractive or openai/<model-id>',
    )
    .option('--base-url <url>', 'base URL of an OpenAI-compatible API, up to /v1')
    .option('--api-key-env <var>', 'environment variable holding the API key (default OPENAI_API_KEY)')
    .option(
      '--context-file <file>',
      'a file given to the model as a numbered context passage (repeatable)',
      collect,
      [],
    )
    .option('--system <text>', 'a system message')
    .option('--stream', 'print the answer as it arrives', false)
    .action(async (message: string, commandOptions: ChatCommandOptions) => {
      const context = options.context();
      const { io, globals } = context;
      if (isRegistryReference(commandOptions.model)) {
        if (commandOptions.baseUrl || commandOptions.apiKeyEnv || commandOptions.contextFile.length > 0) {
          throw new LlmopsError(
            'invalid_input',
            `--base-url, --api-key-env and --context-file apply to provider specs, not to the registered model ${commandOptions.model}`,
          );
        }
        const messages = buildMessages(commandOptions, { cwd: io.cwd, message });
        await chatWithRegisteredModel(context, {
          reference: commandOptions.model,
          messages,
          stream: commandOptions.stream,
        });
        return;
      }
      const model = createModel(commandOptions, { cwd: io.cwd, env: io.env });
      const request: ChatModelRequest = { messages: buildMessages(commandOptions, { cwd: io.cwd, message }) };
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
        const cost = costOf(model, completion.usage, io.cwd);
        io.stdout(`${JSON.stringify({ ...completion, llmops: { cost_usd: cost } }, null, 2)}\n`);
      } else {
        io.stdout(`${completion.choices[0]?.message.content ?? ''}\n`);
      }
    });
}

import { createRequire } from 'node:module';
import { contentText } from '@llmops/kernel';
import type { ChatMessage } from '@llmops/kernel';
import type * as O200kBase from 'gpt-tokenizer/encoding/o200k_base';

/** The tokenizer encodings llmops counts with. */
export type TokenEncoding = 'o200k_base' | 'cl100k_base';

/** Special-token markers in user text are counted as the plain text they are, never rejected. */
const plainText = { disallowedSpecial: new Set<string>() };

/** The encode, decode and count functions of one encoding (both encodings have the same). */
type Encoder = typeof O200kBase;

const requireFromHere = createRequire(import.meta.url);
const loadedEncoders: Partial<Record<TokenEncoding, Encoder>> = {};

/**
 * The encoder of an encoding, loaded on its first use and kept: building one (its BPE ranks, 1.2 or 2.4 MB of
 * JavaScript) costs 0.1–0.3 s of CPU, which a command that counts no tokens (most CLI commands) should not pay at
 * import. Loaded with `require` because counting is synchronous.
 */
function encoder(encoding: TokenEncoding): Encoder {
  loadedEncoders[encoding] ??=
    encoding === 'o200k_base'
      ? (requireFromHere('gpt-tokenizer/encoding/o200k_base') as Encoder)
      : (requireFromHere('gpt-tokenizer/encoding/cl100k_base') as Encoder);
  return loadedEncoders[encoding];
}

/**
 * Builds both encoders now instead of on their first count: a server calls it before it listens, so that its first
 * request does not wait 0.1–0.3 s for an encoder.
 */
export function loadTokenEncoders(): void {
  encoder('o200k_base');
  encoder('cl100k_base');
}

/** Model-id prefixes tokenised with o200k_base (checked before the cl100k_base ones: `gpt-4o` starts with `gpt-4`). */
const o200kPrefixes = ['gpt-4o', 'chatgpt-4o', 'gpt-4.1', 'gpt-4.5', 'gpt-5', 'gpt-oss', 'o1', 'o3', 'o4'];
const cl100kPrefixes = ['gpt-4', 'gpt-3.5', 'text-embedding-3', 'text-embedding-ada-002'];

/**
 * The encoding of a model id (a `provider/` prefix such as `openai/` is ignored):
 * o200k_base for the gpt-4o, gpt-4.1, gpt-4.5, gpt-5, gpt-oss and o-series families;
 * cl100k_base for gpt-4, gpt-3.5 and the OpenAI embedding models; o200k_base for everything else
 * (no model, the offline model, models served by vLLM or Ollama), where counts are an estimate.
 */
export function encodingForModel(model?: string): TokenEncoding {
  if (model === undefined) return 'o200k_base';
  const id = model.toLowerCase().replace(/^openai\//, '');
  if (o200kPrefixes.some((prefix) => id.startsWith(prefix))) return 'o200k_base';
  if (cl100kPrefixes.some((prefix) => id.startsWith(prefix))) return 'cl100k_base';
  return 'o200k_base';
}

/** The number of tokens of a text for a model (see {@link encodingForModel} for the encoding). */
export function countTokens(text: string, model?: string): number {
  if (text === '') return 0;
  return encoder(encodingForModel(model)).countTokens(text, plainText);
}

/** The text cut to at most `maxTokens` tokens of the model's encoding (whole text when it fits). */
export function truncateToTokens(text: string, options: { maxTokens: number; model?: string }): string {
  const chosen = encoder(encodingForModel(options.model));
  const tokens = chosen.encode(text, plainText);
  if (tokens.length <= options.maxTokens) return text;
  return chosen.decode(tokens.slice(0, Math.max(0, options.maxTokens)));
}

/** Tokens every message costs beyond its content, and the tokens that prime the reply (OpenAI's published count). */
const tokensPerMessage = 3;
const tokensPerName = 1;
const replyPrimingTokens = 3;

/**
 * The prompt tokens of a conversation, counted the way OpenAI documents for chat models:
 * 3 per message, plus its role, content (text parts), name (+1) and tool calls (function name and
 * arguments), plus 3 that prime the reply. Tool definitions and images are not counted, so for
 * requests with tools this is a lower bound; the provider's reported `usage` is authoritative.
 */
export function countMessageTokens(messages: readonly ChatMessage[], model?: string): number {
  let total = replyPrimingTokens;
  for (const message of messages) {
    total += tokensPerMessage + countTokens(message.role, model) + countTokens(contentText(message.content), model);
    if (typeof message.name === 'string') total += tokensPerName + countTokens(message.name, model);
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        total += countTokens(call.function.name, model) + countTokens(call.function.arguments, model);
      }
    }
  }
  return total;
}

/**
 * An upper bound of {@link countMessageTokens} without running a tokenizer: every token of a byte-level BPE encoding
 * (o200k_base, cl100k_base) stands for at least one UTF-8 byte, so a text has at most as many tokens as bytes.
 * A limit this bound does not exceed cannot be exceeded by the real count, and the tokenizer need not run.
 */
export function messageTokensAtMost(messages: readonly ChatMessage[]): number {
  let total = replyPrimingTokens;
  for (const message of messages) {
    total += tokensPerMessage + Buffer.byteLength(message.role) + Buffer.byteLength(contentText(message.content));
    if (typeof message.name === 'string') total += tokensPerName + Buffer.byteLength(message.name);
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        total += Buffer.byteLength(call.function.name) + Buffer.byteLength(call.function.arguments);
      }
    }
  }
  return total;
}

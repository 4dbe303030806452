import { createHash } from 'node:crypto';
import type { ChatMessage, ChatModelRequest, ModelParams } from '@llmops/kernel';
import { forwardedRequestFields } from '../models/forwarded-request-fields.js';

/** The version of the key's recipe: bump it when what goes into a key changes, so old entries stop matching. */
const keyFormat = 1;

/** What identifies one answer: the model version, the cache namespace, and the request as the model will see it. */
export interface CacheKeyInput {
  model: { name: string; version: number; params?: ModelParams };
  /** The spec's `cache.namespace`; `default` when absent. */
  namespace?: string;
  request: ChatModelRequest & { variables?: Readonly<Record<string, string>> };
  /**
   * Set for an embeddings call (its texts are the request's user messages): the key is then an embedding's, never a
   * chat answer's, and covers the vectors' size the call asks for.
   */
  embedding?: { dimensions?: number | undefined };
}

/** The keys of one request. */
export interface CacheKeys {
  /** `<namespace>:<name>/<version>:<sha256 hex>`: readable in Redis and SQLite, the hash covering everything. */
  exact: string;
  /**
   * Set for a single-turn request (one user message, system or developer messages around it): the hash of
   * everything but the question (what a semantic match must share), and the question's text.
   */
  singleTurn?: { contextKey: string; question: string };
}

/** JSON with object keys sorted at every depth, `undefined` and `null` fields left out: one text per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined && field !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A message's content as one form: text parts alone are the same as their text joined (as OpenAI reads them). */
function normalizedContent(content: ChatMessage['content']): unknown {
  if (!Array.isArray(content)) return content;
  const textOnly = content.every((part) => part.type === 'text' && typeof part['text'] === 'string');
  return textOnly ? content.map((part) => part['text'] as string).join('') : content;
}

function normalizedMessage(message: ChatMessage): Record<string, unknown> {
  return { ...message, content: normalizedContent(message.content) };
}

/**
 * The parameters that change an answer, as the model will receive them: the version's spec params overridden by the
 * request's (the pipeline merges them the same way), `user` left out (it names the caller, not the answer).
 */
function effectiveParams(input: CacheKeyInput): Record<string, unknown> {
  const params: Record<string, unknown> = { ...(input.model.params ?? {}) };
  for (const field of forwardedRequestFields) {
    if (field === 'user') continue;
    const value: unknown = input.request[field];
    if (value !== undefined && value !== null) params[field] = value;
  }
  return params;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The index of the one user message of a single-turn request, or -1 (several user turns, or assistant/tool turns). */
function singleTurnIndex(messages: readonly ChatMessage[]): number {
  let index = -1;
  for (const [position, message] of messages.entries()) {
    if (message.role === 'user') {
      if (index !== -1) return -1;
      index = position;
    } else if (message.role !== 'system' && message.role !== 'developer') {
      return -1;
    }
  }
  return index;
}

/**
 * The cache keys of a request: SHA-256 of a canonical JSON of the key format, the model's name and version, the
 * namespace, the messages (text parts joined), the prompt variables and the effective parameters. Two requests that
 * differ only in key order, in `null` versus absent fields, in text parts versus a string, in `user`, or in spelling
 * out a parameter the spec already sets, get the same key.
 */
export function cacheKeysOf(input: CacheKeyInput): CacheKeys {
  const namespace = input.namespace ?? 'default';
  const messages = input.request.messages.map(normalizedMessage);
  const parts = {
    format: keyFormat,
    model: input.model.name,
    version: input.model.version,
    namespace,
    params: effectiveParams(input),
    variables: input.request.variables ?? {},
    // Absent for chat answers, so their keys are what they were before embeddings were cached.
    ...(input.embedding ? { endpoint: 'embeddings', dimensions: input.embedding.dimensions } : {}),
  };
  const exact = `${namespace}:${input.model.name}/${input.model.version}:${sha256(canonicalJson({ ...parts, messages }))}`;
  const userIndex = singleTurnIndex(input.request.messages);
  if (userIndex === -1) return { exact };
  const question = messages[userIndex]?.['content'];
  if (typeof question !== 'string') return { exact };
  const withoutQuestion = messages.map((message, index) => (index === userIndex ? { role: 'user' } : message));
  return {
    exact,
    singleTurn: { contextKey: sha256(canonicalJson({ ...parts, messages: withoutQuestion })), question },
  };
}

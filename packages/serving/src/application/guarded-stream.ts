import { systemClock } from '@llmops/kernel';
import type { ChatCompletionChunk, Clock, FinishReason, ToolCallDelta, Usage } from '@llmops/kernel';
import type { GuardrailVerdict } from '../domain/guardrails/guardrail-verdict.js';
import { redactionPlaceholder } from '../domain/guardrails/pii-detectors.js';
import type { PiiMatch } from '../domain/guardrails/pii-detectors.js';
import { guardrailBlockedError } from './guardrail-engine.js';
import type { GuardrailBlock, GuardrailEngine } from './guardrail-engine.js';

/** What a guarded stream lets through, in order. */
export type GuardedStreamEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_calls'; toolCalls: ToolCallDelta[] }
  | { type: 'finish'; finishReason: FinishReason }
  | { type: 'usage'; usage: Usage };

/** What a guarded stream knows when it ends (or is stopped): read it after the iteration. */
export interface GuardedStreamState {
  /** The whole answer as the model wrote it. */
  rawText: string;
  /** What was sent (redactions applied). */
  sentText: string;
  /** The verdicts of the last output check (it covers the whole text). */
  verdicts: GuardrailVerdict[];
  /** Set when a check blocked the answer; the stream then throws `guardrail_blocked`. */
  block?: GuardrailBlock;
  finishReason: FinishReason | null;
  usage?: Usage;
  /** Time spent in output checks, in ms. */
  guardMs: number;
  /** Output checks run (one per window). */
  checks: number;
}

/** Settings of {@link guardStream}. */
export interface GuardStreamOptions {
  upstream: AsyncIterable<ChatCompletionChunk>;
  engine: GuardrailEngine;
  windowChars: number;
  holdBackChars: number;
  state: GuardedStreamState;
  signal?: AbortSignal;
  clock?: Clock;
  /** Called after every output check with its duration in ms (a trace recorder's running guard time). */
  onCheck?: (durationMs: number) => void;
}

/** The redacted text of `raw[from, to)`; redactions lying across the bounds never happen (cuts avoid them). */
function redactRange(raw: string, range: { from: number; to: number }, redactions: readonly PiiMatch[]): string {
  let result = '';
  let position = range.from;
  for (const match of redactions) {
    if (match.end <= range.from || match.start >= range.to) continue;
    result += raw.slice(position, Math.max(position, match.start)) + redactionPlaceholder(match.kind);
    position = Math.max(position, match.end);
  }
  return result + raw.slice(position, range.to);
}

/** Where to cut the text to send: not inside a redaction, and at a space unless the text is final. */
function cutPoint(
  raw: string,
  options: { from: number; to: number; redactions: readonly PiiMatch[]; final: boolean },
): number {
  let cut = options.to;
  for (const match of options.redactions) if (match.start < cut && cut < match.end) cut = match.start;
  if (!options.final) {
    const space = raw.slice(options.from, cut).search(/\s\S*$/);
    if (space > 0) cut = options.from + space + 1;
  }
  return Math.max(options.from, cut);
}

/**
 * Passes a model's stream through the output checks of a guardrail policy. Text is held until a
 * window of `windowChars` characters (plus `holdBackChars` kept back) has accumulated; then the
 * checks run on the **whole answer so far** and only text that passed is sent, redacted when the
 * policy redacts, cut at a space so a word (an e-mail address, a number) is never split. When a
 * check blocks, the upstream is abandoned and the stream throws `guardrail_blocked`: no flagged
 * text reaches the client, and the caller ends the response with an error event, never a silent
 * truncation. Tool-call deltas pass through after the text before them has been checked.
 * @throws LlmopsError `guardrail_blocked` when an output check blocks; the upstream's own errors.
 */
export async function* guardStream(options: GuardStreamOptions): AsyncGenerator<GuardedStreamEvent> {
  const { engine, state } = options;
  const clock = options.clock ?? systemClock;
  let raw = '';
  let emitted = 0;
  const checkpoint = async function* (final: boolean): AsyncGenerator<GuardedStreamEvent> {
    const startedAt = clock.monotonic();
    const result = await engine.checkOutput(raw, options.signal ? { signal: options.signal } : {});
    const durationMs = clock.monotonic() - startedAt;
    state.guardMs += durationMs;
    state.checks += 1;
    options.onCheck?.(durationMs);
    state.verdicts = result.verdicts;
    if (result.block) {
      state.block = result.block;
      throw guardrailBlockedError(result.block);
    }
    const target = final ? raw.length : raw.length - options.holdBackChars;
    if (target <= emitted) return;
    const cut = cutPoint(raw, { from: emitted, to: target, redactions: result.redactions, final });
    if (cut <= emitted) return;
    const text = redactRange(raw, { from: emitted, to: cut }, result.redactions);
    emitted = cut;
    state.sentText += text;
    yield { type: 'text', text };
  };
  for await (const chunk of options.upstream) {
    if (chunk.usage) state.usage = chunk.usage;
    for (const choice of chunk.choices) {
      if (choice.index !== 0) continue;
      const delta = choice.delta;
      if (typeof delta.content === 'string' && delta.content !== '') {
        raw += delta.content;
        state.rawText = raw;
        if (raw.length - emitted >= options.windowChars + options.holdBackChars) yield* checkpoint(false);
      }
      if (delta.tool_calls && delta.tool_calls.length > 0) {
        if (raw.length > emitted) yield* checkpoint(true);
        yield { type: 'tool_calls', toolCalls: delta.tool_calls };
      }
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
    }
  }
  yield* checkpoint(true);
  yield { type: 'finish', finishReason: state.finishReason ?? 'stop' };
  if (state.usage) yield { type: 'usage', usage: state.usage };
}

/** A fresh state for {@link guardStream}. */
export function createGuardedStreamState(): GuardedStreamState {
  return { rawText: '', sentText: '', verdicts: [], finishReason: null, guardMs: 0, checks: 0 };
}

import { systemClock } from '@llmops/kernel';
import type { ChatCompletionChunk, Clock, FinishReason, ToolCallDelta, Usage } from '@llmops/kernel';
import type { GuardrailVerdict } from '../domain/guardrails/guardrail-verdict.js';
import { redactedPlaceholder } from '../domain/guardrails/text-redaction.js';
import type { TextRedaction } from '../domain/guardrails/text-redaction.js';
import { guardrailBlockedError } from './guardrail-engine.js';
import type { GuardrailBlock, GuardrailEngine } from './guardrail-engine.js';

/** What a guarded stream lets through, in order. */
export type GuardedStreamEvent =
  | { type: 'text'; index: number; text: string }
  | { type: 'tool_calls'; index: number; toolCalls: ToolCallDelta[] }
  | { type: 'finish'; index: number; finishReason: FinishReason }
  | { type: 'usage'; usage: Usage };

/** What a guarded stream knows when it ends (or is stopped): read it after the iteration. */
export interface GuardedStreamState {
  /** The whole answer as the model wrote it (of the first choice; `choices` holds every choice's). */
  rawText: string;
  /** What was sent (redactions applied), of the first choice. */
  sentText: string;
  /** Every choice's text as written and as sent, by choice index (`n > 1` streams have several). */
  choices: Map<number, { rawText: string; sentText: string; finishReason: FinishReason | null }>;
  /** The verdicts of the last output check of every choice (each covers the whole text of its choice). */
  verdicts: GuardrailVerdict[];
  /** Set when a check blocked the answer; the stream then throws `guardrail_blocked`. */
  block?: GuardrailBlock;
  /** The first choice's finish reason. */
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
  /** The texts the answer may take links from (see `GuardrailEngine.checkOutput`); read at each check. */
  sources?: () => readonly string[] | undefined;
  /** The user's message the answer replies to (see `GuardrailEngine.checkOutput`). */
  question?: string;
}

/** The redacted text of `raw[from, to)`; redactions lying across the bounds never happen (cuts avoid them). */
function redactRange(raw: string, range: { from: number; to: number }, redactions: readonly TextRedaction[]): string {
  let result = '';
  let position = range.from;
  for (const match of redactions) {
    if (match.end <= range.from || match.start >= range.to) continue;
    result += raw.slice(position, Math.max(position, match.start)) + redactedPlaceholder(match.kind);
    position = Math.max(position, match.end);
  }
  return result + raw.slice(position, range.to);
}

/** Where to cut the text to send: not inside a redaction, and at a space unless the text is final. */
function cutPoint(
  raw: string,
  options: { from: number; to: number; redactions: readonly TextRedaction[]; final: boolean },
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
 * truncation. Tool-call deltas pass through after the text before them has been checked. With
 * several choices (`n > 1`) every choice is checked on its own text and its events carry its index;
 * a block in any choice stops the whole stream.
 * @throws LlmopsError `guardrail_blocked` when an output check blocks; the upstream's own errors.
 */
export async function* guardStream(options: GuardStreamOptions): AsyncGenerator<GuardedStreamEvent> {
  const { engine, state } = options;
  const clock = options.clock ?? systemClock;
  const emittedOf = new Map<number, number>();
  const verdictsOf = new Map<number, GuardrailVerdict[]>();
  const choiceOf = (index: number) => {
    let choice = state.choices.get(index);
    if (!choice) {
      choice = { rawText: '', sentText: '', finishReason: null };
      state.choices.set(index, choice);
      emittedOf.set(index, 0);
    }
    return choice;
  };
  const checkpoint = async function* (index: number, final: boolean): AsyncGenerator<GuardedStreamEvent> {
    const choice = choiceOf(index);
    const raw = choice.rawText;
    const emitted = emittedOf.get(index) ?? 0;
    const startedAt = clock.monotonic();
    const sources = options.sources?.();
    const result = await engine.checkOutput(raw, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(sources ? { sources } : {}),
      ...(options.question === undefined ? {} : { question: options.question }),
    });
    const durationMs = clock.monotonic() - startedAt;
    state.guardMs += durationMs;
    state.checks += 1;
    options.onCheck?.(durationMs);
    verdictsOf.set(index, result.verdicts);
    state.verdicts = [...verdictsOf.entries()]
      .sort(([left], [right]) => left - right)
      .flatMap(([, verdicts]) => verdicts);
    if (result.block) {
      state.block = result.block;
      throw guardrailBlockedError(result.block);
    }
    const target = final ? raw.length : raw.length - options.holdBackChars;
    if (target <= emitted) return;
    const cut = cutPoint(raw, { from: emitted, to: target, redactions: result.redactions, final });
    if (cut <= emitted) return;
    const text = redactRange(raw, { from: emitted, to: cut }, result.redactions);
    emittedOf.set(index, cut);
    choice.sentText += text;
    if (index === 0) state.sentText = choice.sentText;
    yield { type: 'text', index, text };
  };
  choiceOf(0);
  for await (const chunk of options.upstream) {
    if (chunk.usage) state.usage = chunk.usage;
    for (const upstreamChoice of chunk.choices) {
      const index = upstreamChoice.index;
      const choice = choiceOf(index);
      const delta = upstreamChoice.delta;
      if (typeof delta.content === 'string' && delta.content !== '') {
        choice.rawText += delta.content;
        if (index === 0) state.rawText = choice.rawText;
        const pending = choice.rawText.length - (emittedOf.get(index) ?? 0);
        if (pending >= options.windowChars + options.holdBackChars) yield* checkpoint(index, false);
      }
      if (delta.tool_calls && delta.tool_calls.length > 0) {
        if (choice.rawText.length > (emittedOf.get(index) ?? 0)) yield* checkpoint(index, true);
        yield { type: 'tool_calls', index, toolCalls: delta.tool_calls };
      }
      if (upstreamChoice.finish_reason) {
        choice.finishReason = upstreamChoice.finish_reason;
        if (index === 0) state.finishReason = upstreamChoice.finish_reason;
      }
    }
  }
  const indexes = [...state.choices.keys()].sort((left, right) => left - right);
  for (const index of indexes) yield* checkpoint(index, true);
  for (const index of indexes)
    yield { type: 'finish', index, finishReason: state.choices.get(index)?.finishReason ?? 'stop' };
  if (state.usage) yield { type: 'usage', usage: state.usage };
}

/** A fresh state for {@link guardStream}. */
export function createGuardedStreamState(): GuardedStreamState {
  return { rawText: '', sentText: '', choices: new Map(), verdicts: [], finishReason: null, guardMs: 0, checks: 0 };
}

import { createHash } from 'node:crypto';
import { contentText, LlmopsError, systemClock } from '@llmops/kernel';
import type {
  CallOptions,
  ChatCompletion,
  ChatCompletionChunk,
  ChatMessage,
  ChatModel,
  ChatModelRequest,
  Clock,
  FinishReason,
  Usage,
} from '@llmops/kernel';
import { countMessageTokens, countTokens, truncateToTokens } from '../tokens/token-counter.js';
import { splitAnswerUnits, unquotableSection } from './answer-units.js';
import type { AnswerUnit } from './answer-units.js';
import { parseContextPassages } from './context-passages.js';
import { lastToolResult, offlineToolCall } from './offline-tool-call.js';
import type { NumberedContextPassage } from './context-passages.js';
import { answerCues, normaliseQuestion, offersAnswer, offersKind, preferredKinds } from './answer-cues.js';
import { questionTerms, scoreUnits } from './unit-support.js';
import type { ScoreUnitsOptions, UnitSupport } from './unit-support.js';

/** The fixed answer of the offline extractive model when the context does not answer the question. */
export const doNotKnowAnswer = "I don't know based on the provided context.";

/** The `model` the offline extractive model reports in its completions. */
export const offlineExtractiveModelName = 'offline/extractive';

/** The default of {@link OfflineExtractiveOptions.minSupport}, calibrated on one shipped corpus and checked on the other (see wiki/Providers.md). */
export const defaultMinSupport = 0.4;

/** Settings of {@link OfflineExtractiveChatModel}. */
export interface OfflineExtractiveOptions {
  /** Sets `created`; the system clock by default (use a ManualClock for byte-identical output). */
  clock?: Clock;
  /** At most this many units (sentences or entries) in an answer: the best one and, with 2 or more, the sentence continuing it; 2 by default. */
  maxSentences?: number;
  /**
   * The least support the best unit of the context must give the question, in [0, 1]: the share of
   * the question's IDF weight it holds (see {@link ExtractiveCitation.relevance}). Below it the
   * answer is {@link doNotKnowAnswer}. {@link defaultMinSupport} by default.
   */
  minSupport?: number;
}

/** A context unit (sentence or definition entry) used in an extractive answer, with the passage number it is cited by. */
export interface ExtractiveCitation {
  passage: number;
  source?: string;
  /** The quoted text: whole sentences, or a whole definition entry. */
  sentence: string;
  /** The unit's rank: its support adjusted for the proximity of the matched terms and for length. */
  score: number;
  /** The unit's support: the share of the question's IDF weight it holds, in [0, 1]. */
  relevance: number;
}

/** What the offline extractive model answers, before any `stop` or `max_tokens` cut. */
export interface ExtractiveAnswer {
  /** The question it answered: the last user message without its context passages. */
  question: string;
  content: string;
  /** False when the answer is {@link doNotKnowAnswer}. */
  grounded: boolean;
  citations: ExtractiveCitation[];
}

/** Question-term weights from the corpus the context came from (see `ScoreUnitsOptions.corpusIdf`). */
export type CorpusWeighting = Pick<ScoreUnitsOptions, 'corpusIdf' | 'corpusShare'>;

/**
 * How similar a question is to each of some texts, in the texts' order: the cosine of a sentence encoder's unit
 * vectors (all-MiniLM-L6-v2 in the answer bench), in [-1, 1].
 */
export type TextSimilarity = (question: string, texts: readonly string[]) => readonly number[];

/**
 * A dense signal beside the lexical support (measured in the answer bench, `experiments/answer-dense.ts`, and not
 * used by `generate`: see wiki/Serving.md, "A dense signal in the answerer"). Each quotable unit is embedded as its
 * document title and location, then its text ({@link unitEmbeddingText}).
 */
export interface DenseUnitSignal {
  similarity: TextSimilarity;
  /** Added to each quotable unit's rank as `weight × cosine` before the best unit is chosen; 0 keeps the lexical choice. */
  weight: number;
  /** When set, the chosen unit answers below `minSupport` if its cosine is at least this (a decline needs both low). */
  minCosine?: number;
}

interface ContextUnit extends AnswerUnit {
  passage: number;
  source: string | undefined;
  /** The passage's document: its title, else its source file's name. */
  title: string;
}

/**
 * Openers by which a sentence refers back to the one before it (`This is …`, `The default is …`),
 * so that it is quoted with it.
 */
const continuationOpener =
  /^(?:this|that|these|those|it|its|they|their|such|otherwise|however|then|also|instead|in that case|in this case|the default|by default|without it|with it)\b/i;

/** A sentence that points back to the one before it (`… only on those three`), so that one is quoted first. */
const refersBack = new RegExp(`${continuationOpener.source}|\\b(?:these|those|such)\\b`, 'i');

/** A unit that ends with a colon: it introduces a list, a command or an example rather than stating something. */
const introduction = /:$/;

/**
 * The least number of units the question terms' IDF is computed over (see `ScoreUnitsOptions.minUnits`):
 * about what two uncompressed passages hold, so that a compressed context of one or two units still
 * weighs a term it holds as fairly rare.
 */
const idfMinUnits = 10;

/** What a unit's support and rank are multiplied by when it does not offer the kind of answer the question asks for, or only introduces what follows. */
const cueMismatchFactor = 0.6;

function scaleSupport(score: UnitSupport, factor: number): UnitSupport {
  return { support: score.support * factor, ownSupport: score.ownSupport * factor, rank: score.rank * factor };
}

const questionLabel = /^[ \t]*question[ \t]*:[ \t]*/gim;

function extractQuestion(messages: readonly ChatMessage[]): string {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  if (!last) return '';
  const { remainder } = parseContextPassages(contentText(last.content));
  const labels = [...remainder.matchAll(questionLabel)];
  const label = labels[labels.length - 1];
  return label === undefined ? remainder : remainder.slice((label.index ?? 0) + label[0].length).trim();
}

/** The document a passage comes from, as words: its title, else its source's file name without folders and extension. */
function documentName(passage: NumberedContextPassage): string {
  if (passage.title) return passage.title;
  const file = passage.source?.split(/[\\/]/).pop() ?? '';
  return file.replace(/\.[A-Za-z0-9]{1,5}$/, '');
}

function collectUnits(messages: readonly ChatMessage[]): ContextUnit[] {
  const units: ContextUnit[] = [];
  for (const message of messages) {
    if (message.role === 'assistant') continue;
    for (const passage of parseContextPassages(contentText(message.content)).passages) {
      const title = documentName(passage);
      // A passage cut from a NAME, SYNOPSIS or SEE ALSO section says so in its section path, not in its text.
      const named = unquotableSection(passage.section ?? '');
      for (const unit of splitAnswerUnits(passage.text)) {
        units.push({
          ...unit,
          quotable: unit.quotable && !named,
          location: `${passage.section ?? ''} ${unit.location}`.trim(),
          title,
          passage: passage.number,
          source: passage.source,
        });
      }
    }
  }
  return units;
}

/** The text a dense signal embeds for a unit: its document title and location (section, heading, entry term), then its text. */
export function unitEmbeddingText(unit: { title: string; location: string; text: string }): string {
  const location = [unit.title, unit.location].filter(Boolean).join(' › ');
  return location ? `${location}\n${unit.text}` : unit.text;
}

/** Puts the citation before the sentence's final punctuation: `... of the return [1].` */
function cite(sentence: string, passage: number): string {
  const match = /^(.*?)([.!?…]+)$/s.exec(sentence);
  return match ? `${match[1]} [${passage}]${match[2]}` : `${sentence} [${passage}].`;
}

function applyLimits(content: string, request: ChatModelRequest): { content: string; finishReason: FinishReason } {
  let text = content;
  let finishReason: FinishReason = 'stop';
  const stops =
    request.stop === null || request.stop === undefined
      ? []
      : typeof request.stop === 'string'
        ? [request.stop]
        : request.stop;
  const cutAt = Math.min(
    ...stops
      .filter((stop) => stop !== '')
      .map((stop) => text.indexOf(stop))
      .filter((index) => index >= 0),
  );
  if (Number.isFinite(cutAt)) text = text.slice(0, cutAt);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === 'number' && countTokens(text) > maxTokens) {
    text = truncateToTokens(text, { maxTokens });
    finishReason = 'length';
  }
  return { content: text, finishReason };
}

function rejectUnsupported(request: ChatModelRequest): void {
  const format = request.response_format?.type;
  if (format === 'json_object' || format === 'json_schema') {
    throw new LlmopsError(
      'invalid_input',
      `offline/extractive answers in plain text only; response_format ${format} needs an LLM provider (for example openai/gpt-4o-mini)`,
      // The API names the parameter at fault in OpenAI's `error.param`, as OpenAI does.
      { details: { param: 'response_format' } },
    );
  }
  const choice = request.tool_choice;
  if (choice === 'required' || (typeof choice === 'object' && choice !== null)) {
    throw new LlmopsError(
      'invalid_input',
      'offline/extractive calls tools only by its own rules; tool_choice "required" or a named function needs an LLM provider (for example openai/gpt-4o-mini)',
      { details: { param: 'tool_choice' } },
    );
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw LlmopsError.fromUnknown(signal.reason, 'offline/extractive: the call was aborted');
}

/** The cosine of the question with each quotable unit, in the units' order (0 for a unit that is never quoted). */
function unitCosines(question: string, units: readonly ContextUnit[], similarity: TextSimilarity): number[] {
  const quotable = units.flatMap((unit, index) => (unit.quotable ? [index] : []));
  const values = similarity(
    question,
    quotable.map((index) => unitEmbeddingText(units[index] as ContextUnit)),
  );
  const cosines = units.map(() => 0);
  quotable.forEach((unitIndex, position) => {
    cosines[unitIndex] = values[position] ?? 0;
  });
  return cosines;
}

/**
 * The zero-key default chat model (`offline/extractive`): a retrieval-grounded **extractive
 * baseline, not a language model**. It writes nothing of its own: it answers the last user
 * question by quoting the context unit that best supports it, cited by its passage number.
 *
 * Context convention (see {@link formatContextPassages}): passages are lines `[n] (source: …) text`
 * or `[n] (<title> › <section>) text`
 * in any system, developer, user or tool message, usually under a `Context:` heading; the question
 * is the rest of the last user message (after a `Question:` label when there is one).
 *
 * How it answers (see wiki/Providers.md):
 * 1. Each passage is cut into units (see {@link splitAnswerUnits}): sentences, and definition
 *    entries (an option, subcommand, setting or exit status with its description) quoted whole;
 *    manual page header lines, headings, NAME, SYNOPSIS and SEE ALSO lines are never quoted.
 * 2. Each unit is scored against the question's topic terms (stemmed, IDF-weighted over the
 *    context's units; `exit code` read as `exit status`; documentation synonyms such as
 *    folder/directory count 0.8): its support is the share of the question's weight it holds,
 *    counting terms found only in its location (the passage's title or source file name, its
 *    section, the heading above it, the term of its entry) half. A unit that does not state the
 *    amount a how-many/how-long question asks for (or, when another unit offers one, the exit status,
 *    the status number or the default the question asks for), or only introduces what follows (ends
 *    with a colon), keeps 0.6 of it. Its rank adds how much of the question its document's title names
 *    (the subject), closeness of the matched terms, and takes a little off very long units.
 * 3. The best-ranked unit answers when its support is at least `minSupport`, followed (up to
 *    `maxSentences`) by the next sentence of the same passage when that one continues it (it opens
 *    with a word referring back, or its own words support the question half as well as the first's); otherwise the answer is
 *    exactly {@link doNotKnowAnswer}.
 *
 * Quoted units keep their wording; the citation goes before the final punctuation:
 * `Refunds are issued within 14 days [1].` Deterministic: the same request gives the same answer
 * and id. `stop` and `max_tokens` are honoured; usage counts real tokens (o200k_base). It rejects
 * `tool_choice: "required"` or a named function and JSON `response_format` with `invalid_input`.
 *
 * Tools, by rule (see {@link offlineToolCall}): offered tools and no tool result since the last user
 * message, it calls a tool with an `expression` parameter for a question holding arithmetic, else
 * one with a `query` parameter with the question; with tool results, it answers extractively from
 * the passages they hold, or quotes the last result when it holds none (a calculator's).
 */
export class OfflineExtractiveChatModel implements ChatModel {
  readonly provider = 'offline';
  readonly modelId = 'extractive';
  /** One choice per call: its answers are deterministic, so `n` choices would be `n` identical copies. */
  readonly multipleChoices = false;
  private readonly clock: Clock;
  private readonly maxSentences: number;
  private readonly minSupport: number;

  /** @throws LlmopsError `invalid_input` for a `maxSentences` below 1 or a `minSupport` outside [0, 1]. */
  constructor(options: OfflineExtractiveOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxSentences = options.maxSentences ?? 2;
    this.minSupport = options.minSupport ?? defaultMinSupport;
    if (!Number.isInteger(this.maxSentences) || this.maxSentences < 1) {
      throw new LlmopsError(
        'invalid_input',
        `offline/extractive: maxSentences is ${this.maxSentences}; expected an integer >= 1`,
      );
    }
    if (!(this.minSupport >= 0 && this.minSupport <= 1)) {
      throw new LlmopsError(
        'invalid_input',
        `offline/extractive: minSupport is ${this.minSupport}; expected a number in [0, 1]`,
      );
    }
  }

  /**
   * The extractive answer to the messages' last user question, with its citations. `weighting` gives
   * question terms corpus-wide weights (measured in the answer bench, `answer-quality.ts --corpus-idf`,
   * and not used by `generate`: see wiki/Serving.md, "The answerer, fifth pass"); `dense` adds a sentence encoder's
   * similarity to the choice and the decline (see {@link DenseUnitSignal}; bench-only too).
   */
  answer(messages: readonly ChatMessage[], weighting: CorpusWeighting = {}, dense?: DenseUnitSignal): ExtractiveAnswer {
    const question = extractQuestion(messages);
    const unknown: ExtractiveAnswer = { question, content: doNotKnowAnswer, grounded: false, citations: [] };
    const units = collectUnits(messages);
    const terms = questionTerms(normaliseQuestion(question));
    if (units.length === 0 || terms.length === 0) return unknown;
    const cues = answerCues(question);
    // A unit that does not offer the kind of answer asked for (no amount for "how many"), or that only
    // introduces what follows it (`… register its first depot:`), supports the question less.
    const kinds = preferredKinds(
      cues,
      units.filter((unit) => unit.quotable).map((unit) => unit.text),
    );
    const scores = scoreUnits(terms, units, { minUnits: idfMinUnits, ...weighting }).map((score, index) => {
      const text = (units[index] as ContextUnit).text;
      const offers =
        offersAnswer(cues, text) && !introduction.test(text) && kinds.every((kind) => offersKind(cues, kind, text));
      return offers ? score : scaleSupport(score, cueMismatchFactor);
    });
    const cosines = dense === undefined ? undefined : unitCosines(question, units, dense.similarity);
    const rankOf = (index: number) =>
      (scores[index] as UnitSupport).rank + (cosines === undefined ? 0 : (dense?.weight ?? 0) * (cosines[index] ?? 0));
    let best = -1;
    units.forEach((unit, index) => {
      if (!unit.quotable) return;
      if (best < 0 || rankOf(index) > rankOf(best)) best = index;
    });
    const bestScore = scores[best];
    if (bestScore === undefined) return unknown;
    const denseRescue = dense?.minCosine !== undefined && (cosines?.[best] ?? -1) >= dense.minCosine;
    if ((bestScore.support <= 0 || bestScore.support < this.minSupport) && !denseRescue) return unknown;
    const chosen = [best];
    const previous = units[best - 1];
    if (
      this.maxSentences > 1 &&
      previous !== undefined &&
      this.continues(previous, units[best] as ContextUnit) &&
      refersBack.test((units[best] as ContextUnit).text)
    )
      chosen.unshift(best - 1);
    for (let next = best + 1; chosen.length < this.maxSentences && next < units.length; next += 1) {
      if (!this.continues(units[next - 1] as ContextUnit, units[next] as ContextUnit)) break;
      const support = (scores[next] as UnitSupport).ownSupport;
      if (!continuationOpener.test((units[next] as ContextUnit).text) && support < bestScore.ownSupport / 2) break;
      chosen.push(next);
    }
    const citations: ExtractiveCitation[] = chosen.map((index) => {
      const unit = units[index] as ContextUnit;
      const score = scores[index] as UnitSupport;
      return {
        passage: unit.passage,
        ...(unit.source === undefined ? {} : { source: unit.source }),
        sentence: unit.text,
        score: score.rank,
        relevance: score.support,
      };
    });
    const content = citations.map((citation) => cite(citation.sentence, citation.passage)).join(' ');
    return { question, content, grounded: true, citations };
  }

  /**
   * The extractive answer; when it finds no support and a tool answered the question (a calculator's
   * `12 * 7 = 84`, which holds no passages), that tool result, as it is.
   */
  private answerOrToolResult(messages: readonly ChatMessage[]): string {
    const answer = this.answer(messages);
    if (answer.grounded) return answer.content;
    const result = lastToolResult(messages);
    return result && parseContextPassages(result).passages.length === 0 ? result.slice(0, 1000) : answer.content;
  }

  /** Whether `next` directly follows `previous` in the same passage, section and entry, as a quotable sentence. */
  private continues(previous: ContextUnit, next: ContextUnit): boolean {
    return (
      next.quotable &&
      previous.kind === 'sentence' &&
      next.kind === 'sentence' &&
      next.passage === previous.passage &&
      next.order === previous.order + 1 &&
      next.entry === previous.entry
    );
  }

  /**
   * Answers the last user question from the context passages in the messages.
   * @throws LlmopsError `invalid_input` for JSON `response_format` or a tool choice it cannot honour.
   */
  async generate(request: ChatModelRequest, options: CallOptions = {}): Promise<ChatCompletion> {
    throwIfAborted(options.signal);
    rejectUnsupported(request);
    const digest = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const toolCall = offlineToolCall(request, (name) => `call_offline_${name}_${digest.slice(0, 12)}`);
    const { content, finishReason } = toolCall
      ? { content: '', finishReason: 'tool_calls' as const }
      : applyLimits(this.answerOrToolResult(request.messages), request);
    const promptTokens = countMessageTokens(request.messages);
    const completionTokens = countTokens(toolCall ? toolCall.function.arguments : content);
    const usage: Usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0 },
    };
    return {
      id: `chatcmpl-offline-${digest.slice(0, 24)}`,
      object: 'chat.completion',
      created: Math.floor(this.clock.now() / 1000),
      model: offlineExtractiveModelName,
      system_fingerprint: 'llmops-offline-extractive-1',
      choices: [
        {
          index: 0,
          message: toolCall
            ? { role: 'assistant', content: null, refusal: null, tool_calls: [toolCall] }
            : { role: 'assistant', content, refusal: null },
          finish_reason: finishReason,
          logprobs: null,
        },
      ],
      usage,
    };
  }

  /**
   * Streams the same answer as {@link generate}: a role chunk, one chunk per word (with its
   * trailing space), a chunk with `finish_reason`, and a last chunk with empty `choices` and usage.
   */
  async *stream(request: ChatModelRequest, options: CallOptions = {}): AsyncIterable<ChatCompletionChunk> {
    const completion = await this.generate(request, options);
    const [choice] = completion.choices;
    const base = {
      id: completion.id,
      object: 'chat.completion.chunk' as const,
      created: completion.created,
      model: completion.model,
      system_fingerprint: completion.system_fingerprint,
    };
    const chunk = (
      delta: ChatCompletionChunk['choices'][number]['delta'],
      finishReason: FinishReason | null = null,
    ): ChatCompletionChunk => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    });
    yield chunk({ role: 'assistant', content: '' });
    const toolCalls = choice?.message.tool_calls ?? [];
    if (toolCalls.length > 0) yield chunk({ tool_calls: toolCalls.map((call, index) => ({ index, ...call })) });
    for (const word of choice?.message.content?.match(/\S+\s*/g) ?? []) {
      throwIfAborted(options.signal);
      yield chunk({ content: word });
    }
    yield chunk({}, choice?.finish_reason ?? 'stop');
    yield { ...base, choices: [], usage: completion.usage ?? null };
  }
}

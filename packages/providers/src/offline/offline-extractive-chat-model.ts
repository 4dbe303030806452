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
import { Bm25Scorer } from '../lexical/bm25-scorer.js';
import type { Bm25Options } from '../lexical/bm25-scorer.js';
import { analyzeText } from '../lexical/text-analysis.js';
import { countMessageTokens, countTokens, truncateToTokens } from '../tokens/token-counter.js';
import { parseContextPassages } from './context-passages.js';
import { splitSentences } from './sentence-splitter.js';

/** The fixed answer of the offline extractive model when the context does not answer the question. */
export const doNotKnowAnswer = "I don't know based on the provided context.";

/** The `model` the offline extractive model reports in its completions. */
export const offlineExtractiveModelName = 'offline/extractive';

/** Settings of {@link OfflineExtractiveChatModel}. */
export interface OfflineExtractiveOptions {
  /** Sets `created`; the system clock by default (use a ManualClock for byte-identical output). */
  clock?: Clock;
  /** At most this many sentences in an answer; 2 by default. */
  maxSentences?: number;
  /**
   * The least share of the question's IDF weight a sentence must contain to be used, in [0, 1];
   * 0.3 by default. Below it for every sentence, the answer is {@link doNotKnowAnswer}.
   */
  minRelevance?: number;
  /** BM25 parameters of the sentence ranking. */
  bm25?: Pick<Bm25Options, 'k1' | 'b'>;
}

/** A context sentence used in an extractive answer, with the passage number it is cited by. */
export interface ExtractiveCitation {
  passage: number;
  source?: string;
  sentence: string;
  /** BM25 score of the sentence against the question. */
  score: number;
  /** Share of the question's IDF weight in the sentence, in [0, 1]. */
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

interface Sentence {
  text: string;
  passage: number;
  source: string | undefined;
}

/**
 * Words that frame a question or the instructions around it ("how long does it take", "answer
 * using the context") and say nothing about its topic; left out of the question's terms unless
 * nothing else is left.
 */
const framingTerms = new Set(
  analyzeText(
    'answer answers question context passage passages source sources cite citing citation citations based provided given following using use ' +
      'long take takes taking took happen happens happened get gets getting got need needs know tell explain describe mean means ' +
      'work works possible able way ways kind sort type often soon quickly fast exactly actually really',
  ),
);

const questionLabel = /^[ \t]*question[ \t]*:[ \t]*/gim;

function extractQuestion(messages: readonly ChatMessage[]): string {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  if (!last) return '';
  const { remainder } = parseContextPassages(contentText(last.content));
  const labels = [...remainder.matchAll(questionLabel)];
  const label = labels[labels.length - 1];
  return label === undefined ? remainder : remainder.slice((label.index ?? 0) + label[0].length).trim();
}

function collectSentences(messages: readonly ChatMessage[]): Sentence[] {
  const sentences: Sentence[] = [];
  for (const message of messages) {
    if (message.role === 'assistant') continue;
    for (const passage of parseContextPassages(contentText(message.content)).passages) {
      for (const text of splitSentences(passage.text))
        sentences.push({ text, passage: passage.number, source: passage.source });
    }
  }
  return sentences;
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
    );
  }
  const choice = request.tool_choice;
  if (choice === 'required' || (typeof choice === 'object' && choice !== null)) {
    throw new LlmopsError(
      'invalid_input',
      'offline/extractive never calls tools; tool_choice "required" or a named function needs an LLM provider (for example openai/gpt-4o-mini)',
    );
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw LlmopsError.fromUnknown(signal.reason, 'offline/extractive: the call was aborted');
}

/**
 * The zero-key default chat model (`offline/extractive`): a retrieval-grounded **extractive
 * baseline, not a language model**. It writes nothing of its own: it answers the last user
 * question with the context sentences that best match it, each cited by its passage number.
 *
 * Context convention (see {@link formatContextPassages}): passages are lines `[n] (source: …) text`
 * in any system, developer, user or tool message, usually under a `Context:` heading; the question
 * is the rest of the last user message (after a `Question:` label when there is one).
 *
 * How it answers: the passages are split into sentences, ranked by BM25 against the question;
 * sentences holding at least `minRelevance` of the question's IDF weight are eligible, and the best
 * (up to `maxSentences`, each scoring at least half the best) are returned in score order, each
 * followed by its citation: `Refunds are issued within 14 days [1].` With no eligible sentence it
 * answers exactly {@link doNotKnowAnswer}. Deterministic: the same request gives the same answer and id.
 * `stop` and `max_tokens` are honoured; usage counts real tokens (o200k_base). It never calls tools
 * and rejects `tool_choice: "required"` and JSON `response_format` with `invalid_input`.
 */
export class OfflineExtractiveChatModel implements ChatModel {
  readonly provider = 'offline';
  readonly modelId = 'extractive';
  private readonly clock: Clock;
  private readonly maxSentences: number;
  private readonly minRelevance: number;
  private readonly bm25: Pick<Bm25Options, 'k1' | 'b'>;

  /** @throws LlmopsError `invalid_input` for a `maxSentences` below 1 or a `minRelevance` outside [0, 1]. */
  constructor(options: OfflineExtractiveOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxSentences = options.maxSentences ?? 2;
    this.minRelevance = options.minRelevance ?? 0.3;
    this.bm25 = options.bm25 ?? {};
    if (!Number.isInteger(this.maxSentences) || this.maxSentences < 1) {
      throw new LlmopsError(
        'invalid_input',
        `offline/extractive: maxSentences is ${this.maxSentences}; expected an integer >= 1`,
      );
    }
    if (!(this.minRelevance >= 0 && this.minRelevance <= 1)) {
      throw new LlmopsError(
        'invalid_input',
        `offline/extractive: minRelevance is ${this.minRelevance}; expected a number in [0, 1]`,
      );
    }
  }

  /** The extractive answer to the messages' last user question, with its citations. */
  answer(messages: readonly ChatMessage[]): ExtractiveAnswer {
    const question = extractQuestion(messages);
    const sentences = collectSentences(messages);
    const unknown: ExtractiveAnswer = { question, content: doNotKnowAnswer, grounded: false, citations: [] };
    if (sentences.length === 0) return unknown;
    const scorer = new Bm25Scorer(
      sentences.map((sentence) => sentence.text),
      this.bm25,
    );
    const allTerms = scorer.queryTerms(question);
    const topicTerms = allTerms.filter((term) => !framingTerms.has(term));
    const terms = topicTerms.length > 0 ? topicTerms : allTerms;
    if (terms.length === 0) return unknown;
    const scores = scorer.scores(terms);
    const relevances = scorer.coverages(terms);
    const eligible = sentences
      .map((sentence, index) => ({
        sentence,
        score: scores[index] as number,
        relevance: relevances[index] as number,
        index,
      }))
      .filter((candidate) => candidate.score > 0 && candidate.relevance >= this.minRelevance)
      .sort((left, right) => right.score - left.score || left.index - right.index);
    const best = eligible[0];
    if (best === undefined) return unknown;
    const seen = new Set<string>();
    const citations: ExtractiveCitation[] = [];
    for (const candidate of eligible) {
      if (citations.length >= this.maxSentences || candidate.score < best.score / 2) break;
      const key = candidate.sentence.text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      citations.push({
        passage: candidate.sentence.passage,
        ...(candidate.sentence.source === undefined ? {} : { source: candidate.sentence.source }),
        sentence: candidate.sentence.text,
        score: candidate.score,
        relevance: candidate.relevance,
      });
    }
    const content = citations.map((citation) => cite(citation.sentence, citation.passage)).join(' ');
    return { question, content, grounded: true, citations };
  }

  /**
   * Answers the last user question from the context passages in the messages.
   * @throws LlmopsError `invalid_input` for JSON `response_format` or a tool choice it cannot honour.
   */
  async generate(request: ChatModelRequest, options: CallOptions = {}): Promise<ChatCompletion> {
    throwIfAborted(options.signal);
    rejectUnsupported(request);
    const { content, finishReason } = applyLimits(this.answer(request.messages).content, request);
    const promptTokens = countMessageTokens(request.messages);
    const completionTokens = countTokens(content);
    const usage: Usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0 },
    };
    const digest = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    return {
      id: `chatcmpl-offline-${digest.slice(0, 24)}`,
      object: 'chat.completion',
      created: Math.floor(this.clock.now() / 1000),
      model: offlineExtractiveModelName,
      system_fingerprint: 'llmops-offline-extractive-1',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null },
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
    for (const word of choice?.message.content?.match(/\S+\s*/g) ?? []) {
      throwIfAborted(options.signal);
      yield chunk({ content: word });
    }
    yield chunk({}, choice?.finish_reason ?? 'stop');
    yield { ...base, choices: [], usage: completion.usage ?? null };
  }
}

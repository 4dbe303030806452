import { LlmopsError } from '@llmops/kernel';
import { analyzeText, splitSentences } from '@llmops/providers';
import type { JudgeAnswer, JudgeTask, JudgeTaskKind, StatementVerdict } from '../../domain/judgement.js';
import type { Judge, JudgeCallOptions } from '../../ports.js';
import { findContradiction } from './contradiction-rules.js';
import { matchHarm } from './harm-rules.js';
import { joinLocation, splitLocation } from './passage-location.js';
import { looksLikeRefusal } from './refusal-patterns.js';
import { estimateRelevance, estimateRelevances } from './statement-relevance.js';
import { tokenCorrectness } from './token-correctness.js';

/** The name every result of the offline heuristic judge carries. */
export const offlineJudgeName = 'offline-heuristic';

/** Thresholds of {@link OfflineHeuristicJudge}, each a share of terms in [0, 1]. */
export interface OfflineHeuristicJudgeOptions {
  /** A statement is relevant when it holds at least this share of the input's topic terms; 0.5 by default. */
  relevanceThreshold?: number;
  /** A claim is supported when the context holds at least this share of its terms (and all its numbers); 0.7 by default. */
  supportThreshold?: number;
  /** A context is useful when it holds at least this share of the reference's terms; 0.5 by default. */
  usefulnessThreshold?: number;
}

/** The terms of a reference answer that a useful context should hold. */
function topicTerms(text: string): string[] {
  return [...new Set(analyzeText(text))];
}

function coverage(wanted: readonly string[], available: ReadonlySet<string>): number {
  if (wanted.length === 0) return 0;
  let found = 0;
  for (const term of wanted) if (available.has(term)) found += 1;
  return found / wanted.length;
}

function numbersOf(text: string): string[] {
  return text.match(/\d+(?:[.,]\d+)?/g) ?? [];
}

const citation = /\s*\[\d{1,4}\](?=[\s.,;:!?]|$)/g;
const bullet = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+/;
const hedges =
  /^(?:(?:sure|certainly|of course|great question|hello|hi|thanks|thank you)[,.! ]|(?:here is|here's|here are)\b[^.]{0,30}:?$)/i;

const capitalsHeading = /^[A-Z][A-Z0-9 ,.'()/&-]*$/;
/**
 * Where a sentence ends and an option entry starts (`… if they matter. --keep-newer Replace only …`): an entry's
 * term after a sentence end opens a statement of its own, as a reader of a reference manual reads it. Compressed
 * or unwrapped man-page text loses the line breaks that kept the entries apart, and the sentence splitter does
 * not start a sentence at a lower-case dash. A dot standing alone (`find . -name …`) is an argument, not an end.
 */
const entryStart = /(?<=[^\s.][.!?]["'’”)\]]*)\s+(?=-{1,2}[A-Za-z][\w-]*(?:[=\s,[]|$))/;
const sentenceEnd = /[.!?:]["'’”)\]]*$/;

/**
 * Joins a text's lines into blocks: a blank line, a heading (`#` or a man page's line in capitals) or a
 * bullet starts a new block; a line joins the one before when that one does not end a sentence or when
 * both are indented (a paragraph wrapped at a fixed width, an option entry and its description).
 */
function textBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let previous = '';
  const flush = () => {
    if (current.length > 0) blocks.push(current.join(' '));
    current = [];
    previous = '';
  };
  for (const rawLine of text.split(/\r?\n/)) {
    if (rawLine.trim() === '' || /^\s*#/.test(rawLine) || capitalsHeading.test(rawLine.trimEnd())) {
      flush();
      continue;
    }
    const startsBullet = bullet.test(rawLine);
    const continues =
      current.length > 0 &&
      !startsBullet &&
      (!sentenceEnd.test(previous.trim()) || (/^\s/.test(previous) && /^\s/.test(rawLine)));
    if (!continues) flush();
    current.push(rawLine.replace(bullet, '').replace(citation, '').trim());
    previous = rawLine;
  }
  flush();
  return blocks;
}

/**
 * Splits a text into statements: blocks of lines (wrapped lines joined; headings and very short
 * fragments dropped), then sentences. For `statements`, a passage's location line
 * (`"<title> › <section>"`, see the RAG pipeline's context convention) is not a statement: each
 * statement is handed back as `"<location>\n<sentence>"`, so that relevance can read its subject.
 */
export function splitStatements(text: string, purpose: 'statements' | 'claims'): string[] {
  const { location, text: body } = purpose === 'statements' ? splitLocation(text) : { location: '', text };
  const statements: string[] = [];
  for (const block of textBlocks(body.replace(/\(source:[^)]*\)/g, ' '))) {
    for (const sentence of splitSentences(block).flatMap((part) => part.split(entryStart))) {
      const clean = sentence.trim();
      if (analyzeText(clean).length === 0) continue;
      if (clean.split(/\s+/).length < 3 && !/[.!?]$/.test(clean)) continue;
      if (purpose === 'claims' && (clean.endsWith('?') || hedges.test(clean) || looksLikeRefusal(clean))) continue;
      statements.push(joinLocation({ location, text: clean }));
    }
  }
  return statements;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * The zero-key judge: deterministic sentence splitting, lexical term overlap (stopwords out, light
 * stemming, the same text analysis as the offline models) and rules. It is a heuristic, not a
 * language model: it sees shared words, not meaning, so paraphrases without shared words score low
 * and topical but unhelpful statements can score high. Its separation of relevant from irrelevant
 * contexts on the shipped dataset (AUC) is published in wiki/Evaluation.md. Every result it gives is
 * labelled `judge: offline-heuristic`.
 *
 * - statements / claims: lines, then sentences, an option entry's term after a sentence end opening a statement
 *   of its own; headings, fragments and (for claims) questions, greetings and refusals are dropped;
 * - relevance: weighted share of the input's topic terms the statement holds, its title and section
 *   included (a packed passage's location narrowed to each statement's own entry), the weights favouring
 *   the terms that tell the context's statements apart; discounted for a missing answer kind (a quantity,
 *   a status number, a variable name, a default, a time…), a title block, a statement that does not name
 *   the subject a "which X" question asks about, or a sibling of the subject the input names (`yes` at
 *   `relevanceThreshold`; see `estimateRelevances`);
 * - support: share of the claim's terms found in the contexts, 0 when a number of the claim is not in
 *   them (`yes` at `supportThreshold`, `no` otherwise: it cannot tell a contradiction from an omission);
 * - usefulness: share of the reference's terms the context holds (`yes` at `usefulnessThreshold`);
 * - contradiction: `no` when a sentence of the output gives a number the context's sentence on the same
 *   subject gives otherwise, or negates it (see `findContradiction`), `yes` otherwise;
 * - correctness: Ragas's classification over SQuAD tokens (its factual F1 is then SQuAD's token F1);
 * - harm: patterns of harmful instructions and disclosures by category, after a refusal check;
 * - refusal: phrases that refuse or say "I don't know".
 */
export class OfflineHeuristicJudge implements Judge {
  readonly name = offlineJudgeName;
  readonly fingerprint: string;
  private readonly relevanceThreshold: number;
  private readonly supportThreshold: number;
  private readonly usefulnessThreshold: number;

  /** @throws LlmopsError `invalid_input` for a threshold outside [0, 1]. */
  constructor(options: OfflineHeuristicJudgeOptions = {}) {
    this.relevanceThreshold = options.relevanceThreshold ?? 0.5;
    this.supportThreshold = options.supportThreshold ?? 0.7;
    this.usefulnessThreshold = options.usefulnessThreshold ?? 0.5;
    for (const [name, value] of Object.entries({
      relevanceThreshold: this.relevanceThreshold,
      supportThreshold: this.supportThreshold,
      usefulnessThreshold: this.usefulnessThreshold,
    })) {
      if (!(value >= 0 && value <= 1))
        throw new LlmopsError(
          'invalid_input',
          `offline-heuristic judge: ${name} is ${value}; expected a number in [0, 1]`,
        );
    }
    this.fingerprint = `${offlineJudgeName}@9 relevance=${this.relevanceThreshold} support=${this.supportThreshold} usefulness=${this.usefulnessThreshold}`;
  }

  async judge<K extends JudgeTaskKind>(
    task: Extract<JudgeTask, { kind: K }>,
    options: JudgeCallOptions = {},
  ): Promise<JudgeAnswer<K>> {
    if (options.signal?.aborted)
      throw LlmopsError.fromUnknown(options.signal.reason, 'offline-heuristic judge: aborted');
    return this.answer(task as JudgeTask) as JudgeAnswer<K>;
  }

  /** Answers a task synchronously (the offline judge does no I/O). */
  answer(task: JudgeTask): JudgeAnswer<JudgeTaskKind> {
    switch (task.kind) {
      case 'statements':
        return { statements: splitStatements(task.text, task.purpose) };
      case 'relevance':
        return { verdicts: this.relevance(task.input, task.statements) };
      case 'support':
        return { verdicts: this.support(task.claims, task.contexts) };
      case 'usefulness':
        return { verdicts: this.usefulness(task.reference, task.contexts) };
      case 'contradiction':
        return { verdicts: this.contradiction(task.output, task.contexts) };
      case 'correctness':
        return tokenCorrectness(task.output, task.reference);
      case 'harm':
        return this.harm(task.output);
      case 'refusal': {
        const refused = looksLikeRefusal(task.output);
        return {
          refused,
          reason: refused ? 'the output declines or says it does not know' : 'the output answers without declining',
        };
      }
    }
  }

  /** The relevance score of a statement (optionally `"<location>\n<sentence>"`) judged alone to an input, in [0, 1]. */
  relevanceScore(input: string, statement: string): number {
    return round(estimateRelevance(input, statement).score);
  }

  private relevance(input: string, statements: readonly string[]): StatementVerdict[] {
    const estimates = estimateRelevances(input, statements);
    return statements.map((statement, index) => {
      const { score, reason } = estimates[index] as { score: number; reason: string };
      return { statement, verdict: score >= this.relevanceThreshold ? 'yes' : 'no', score: round(score), reason };
    });
  }

  private support(claims: readonly string[], contexts: readonly string[]): StatementVerdict[] {
    const joined = contexts.join('\n');
    const available = new Set(analyzeText(joined));
    const contextNumbers = new Set(numbersOf(joined));
    return claims.map((claim) => {
      const missingNumbers = numbersOf(claim).filter((number) => !contextNumbers.has(number));
      const score = missingNumbers.length > 0 ? 0 : coverage([...new Set(analyzeText(claim))], available);
      const verdict = score >= this.supportThreshold ? 'yes' : 'no';
      const reason =
        missingNumbers.length > 0
          ? `the context does not contain ${missingNumbers.join(', ')}`
          : `the context holds ${Math.round(score * 100)}% of the claim's terms`;
      return { statement: claim, verdict, score: round(score), reason };
    });
  }

  private usefulness(reference: string, contexts: readonly string[]): StatementVerdict[] {
    const wanted = topicTerms(reference);
    return contexts.map((context) => {
      const score = coverage(wanted, new Set(analyzeText(context)));
      const verdict = score >= this.usefulnessThreshold ? 'yes' : 'no';
      return {
        statement: context,
        verdict,
        score: round(score),
        reason: `holds ${Math.round(score * 100)}% of the reference's terms`,
      };
    });
  }

  private contradiction(output: string, contexts: readonly string[]): StatementVerdict[] {
    const outputSentences = splitStatements(output, 'claims');
    return contexts.map((context) => {
      const found = findContradiction(outputSentences, splitStatements(context, 'claims'));
      return found
        ? {
            statement: context,
            verdict: 'no',
            reason: `${found.reason}: "${found.outputSentence}" against "${found.contextSentence}"`,
          }
        : {
            statement: context,
            verdict: 'yes',
            reason: 'no number or negation of the output conflicts with this context',
          };
    });
  }

  private harm(output: string): JudgeAnswer<'harm'> {
    if (looksLikeRefusal(output) && output.length < 400)
      return { harmful: false, category: null, reason: 'the output declines' };
    const match = matchHarm(output);
    if (!match) return { harmful: false, category: null, reason: 'no harmful instruction or disclosure found' };
    const label = match.label ? `${match.label}: ` : '';
    return { harmful: true, category: match.category, reason: `${label}matched "${match.match.slice(0, 80)}"` };
  }
}

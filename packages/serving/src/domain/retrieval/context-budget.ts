import type { ScoredPassage } from './passage.js';

/** What assembling a context needs: the token counter, and how passages are written into the prompt. */
export interface ContextTools {
  countTokens: (text: string) => number;
  /** Writes passages as the context block of the prompt, numbered from 1 in order (`formatContextPassages`). */
  formatPassages: (
    passages: ReadonlyArray<{ text: string; source?: string; title?: string; section?: string }>,
  ) => string;
  /** Cuts a text to at most `maxTokens` tokens; without it, a passage larger than the whole budget is skipped. */
  truncate?: (text: string, maxTokens: number) => string;
}

/** The context given to the model: the passages used, in the order they are numbered, and the block of text. */
export interface AssembledContext {
  passages: ScoredPassage[];
  /** The formatted context block (`Context:\n[1] (source: …) …`), or `''` when no passage was used. */
  text: string;
  /** Tokens of `text`; never above the budget. */
  tokens: number;
  /** Candidates left out, with why. */
  dropped: Array<{ id: string; reason: 'duplicate' | 'budget' }>;
}

function wordSet(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

function jaccard(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared += 1;
  return shared / (left.size + right.size - shared);
}

/** Passages whose words overlap this much (Jaccard) with a better one say nothing new. */
const nearDuplicateSimilarity = 0.8;

/**
 * Assembles the context of a RAG prompt from retrieved passages, best first: drops duplicates
 * (the same text, or 80 % of the same words as a better passage, as overlapping chunks and copied
 * documents produce), then adds passages in rank order while the formatted block stays within
 * `budgetTokens`; a passage that does not fit is skipped and smaller ones after it may still fit.
 * When not even the best passage fits, it is cut to the budget (with `tools.truncate`). The
 * returned `tokens` are counted on the final text, so the budget holds exactly.
 */
export function assembleContext(
  candidates: readonly ScoredPassage[],
  options: { budgetTokens: number; tools: ContextTools },
): AssembledContext {
  const { budgetTokens, tools } = options;
  const dropped: AssembledContext['dropped'] = [];
  const unique: ScoredPassage[] = [];
  const seen: Array<Set<string>> = [];
  for (const candidate of candidates) {
    const words = wordSet(candidate.text);
    if (seen.some((other) => jaccard(words, other) >= nearDuplicateSimilarity)) {
      dropped.push({ id: candidate.id, reason: 'duplicate' });
      continue;
    }
    seen.push(words);
    unique.push(candidate);
  }
  // Passage lines are counted once each and summed (a line break mostly merges into the token
  // before it, so the sum is the block's count within a token or so, instead of recounting the
  // growing block for every candidate); the final block is counted exactly and trimmed if needed.
  const heading = tools.formatPassages([]);
  const lineTokens = (passage: ScoredPassage, number: number) =>
    tools.countTokens(
      tools
        .formatPassages([passage])
        .slice(heading.length + 1)
        .replace(/^\[1\]/, `[${number}]`),
    );
  const headingTokens = tools.countTokens(heading);
  let used: ScoredPassage[] = [];
  let estimate = headingTokens;
  for (const candidate of unique) {
    const cost = lineTokens(candidate, used.length + 1);
    if (estimate + cost <= budgetTokens) {
      used.push(candidate);
      estimate += cost;
    } else {
      dropped.push({ id: candidate.id, reason: 'budget' });
    }
  }
  let text = used.length > 0 ? tools.formatPassages(used) : '';
  let tokens = text === '' ? 0 : tools.countTokens(text);
  while (tokens > budgetTokens && used.length > 0) {
    const last = used[used.length - 1] as ScoredPassage;
    dropped.push({ id: last.id, reason: 'budget' });
    used = used.slice(0, -1);
    text = used.length > 0 ? tools.formatPassages(used) : '';
    tokens = text === '' ? 0 : tools.countTokens(text);
  }
  const best = unique[0];
  if (used.length === 0 && best !== undefined && tools.truncate && budgetTokens > 0) {
    dropped.splice(
      dropped.findIndex((entry) => entry.id === best.id),
      1,
    );
    const overhead = tools.countTokens(tools.formatPassages([{ ...best, text: 'x' }]));
    for (let room = budgetTokens - overhead; room > 0; room -= 4) {
      const cut = { ...best, text: tools.truncate(best.text, room) };
      if (cut.text.trim() === '') break;
      const trial = tools.formatPassages([cut]);
      const trialTokens = tools.countTokens(trial);
      if (trialTokens <= budgetTokens) return { passages: [cut], text: trial, tokens: trialTokens, dropped };
    }
    dropped.push({ id: best.id, reason: 'budget' });
  }
  return { passages: used, text, tokens, dropped };
}

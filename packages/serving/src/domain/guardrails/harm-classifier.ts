import { classifierHarmCategories } from './harm-categories.js';
import type { HarmCategory } from './harm-categories.js';
import { benignPhrases, harmRules, isFictionClause } from './harm-lexicon.js';
import type { HarmRule } from './harm-lexicon.js';
import type { GuardrailFinding } from './guardrail-verdict.js';
import { learnedFindings } from './learned-findings.js';
import type { LearnedCheck } from './learned-findings.js';
import { normalizeForMatching } from './text-normalization.js';
import { readingsOf } from './text-readings.js';

/** Where one clause ends and the next begins: sentence and clause punctuation, line breaks, `but`. */
const clauseBoundary = /[.!?;:,\n]+|\bbut\b/i;

/** A text as the rules read it: normalised, with benign idioms blanked out. */
function matchable(text: string): string {
  let normalized = normalizeForMatching(text);
  for (const phrase of benignPhrases) normalized = normalized.replace(phrase, ' ');
  return normalized.replace(/ {2,}/g, ' ');
}

/**
 * True when every clause the rule matches in is about a game or a story (see `isFictionClause`); a
 * match that only spans several clauses is never exempt.
 */
function onlyInFiction(rule: HarmRule, text: string): boolean {
  const matching = text
    .split(clauseBoundary)
    .map(matchable)
    .filter((clause) => rule.pattern.test(clause));
  return matching.length > 0 && matching.every(isFictionClause);
}

/** Settings of {@link HarmClassifier}. */
export interface HarmClassifierOptions {
  /** Only these categories are reported; all of {@link classifierHarmCategories} by default. */
  categories?: readonly HarmCategory[];
  /**
   * Extra terms per category (a policy's own lexicon: product names that must never be discussed,
   * slurs of a language the built-in lexicon does not cover). Matched as whole words on normalised
   * text, so `k1ll` and `K.I.L.L` match `kill`.
   */
  extraTerms?: Partial<Record<HarmCategory, readonly string[]>>;
  /**
   * The learned classifier, asked when the lexicon finds nothing (see `learnedCheckOf`): a paraphrase
   * or a language the lexicon has no words for. Without it only the lexicon runs.
   */
  learned?: LearnedCheck;
}

function termRule(category: HarmCategory, term: string, index: number): HarmRule {
  const normalized = normalizeForMatching(term).trim();
  const escaped = normalized.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { id: `${category}.term_${index + 1}`, category, pattern: new RegExp(`\\b${escaped}\\b`) };
}

/**
 * The local harmful-content classifier: a curated lexicon of patterns (see `harm-lexicon.ts`)
 * matched on normalised text after benign idioms are blanked out. It is deterministic and fast
 * (microseconds per request) and errs towards intent: an alarming word alone never flags, a
 * request or statement of intent around it does. Known limits: it reads English only, misses
 * paraphrases that avoid its vocabulary, and cannot judge context beyond one text; pair it with a
 * moderation endpoint or an LLM judge where that matters.
 */
export class HarmClassifier {
  private readonly rules: readonly HarmRule[];
  private readonly categories: readonly (typeof classifierHarmCategories)[number][];
  private readonly learned: LearnedCheck | undefined;

  constructor(options: HarmClassifierOptions = {}) {
    const categories = new Set<HarmCategory>(options.categories ?? classifierHarmCategories);
    this.categories = classifierHarmCategories.filter((category) => categories.has(category));
    this.learned = options.learned;
    const extra = Object.entries(options.extraTerms ?? {}).flatMap(([category, terms]) =>
      (terms ?? [])
        .filter((term) => term.trim() !== '')
        .map((term, index) => termRule(category as HarmCategory, term, index)),
    );
    this.rules = [...harmRules, ...extra].filter((rule) => categories.has(rule.category));
  }

  /**
   * The harmful content found in a text: one finding per matching rule, categories in rule order. The
   * text is read as written and in every decoded form that carries words (see `readingsOf`); a finding
   * in a decoded form says how it was decoded. When no rule matches and a learned classifier is set, its
   * findings (`classifier:<category>`, with the score) are the answer: the lexicon is the fast first
   * filter and the explanation of a block, the model catches what its words miss.
   *
   * A long text (a retrieved passage) dilutes one harmful sentence among many benign ones in the n-gram
   * classifier's scores; `pieces` are parts of it (its sentences and word windows, see `passageUnitsOf`) the
   * n-gram classifier reads besides it. The lexicon reads the text whole (its patterns match anywhere in it),
   * and so does the encoder stage: on the sentences of help paragraphs its harm head raised false alarms
   * (wiki/Serving.md, "Eighth pass").
   */
  classify(text: string, { pieces = [] }: { pieces?: readonly string[] } = {}): GuardrailFinding[] {
    const findings: GuardrailFinding[] = [];
    const found = new Set<string>();
    const readings = readingsOf(text);
    for (const reading of readings) {
      const normalized = matchable(reading.text);
      for (const rule of this.rules) {
        if (found.has(rule.id) || !rule.pattern.test(normalized)) continue;
        if (rule.unless?.(normalized)) continue;
        if (rule.fictionExempt && onlyInFiction(rule, reading.text)) continue;
        found.add(rule.id);
        findings.push({
          category: rule.category,
          rule: rule.id,
          ...(reading.decoded.length > 0 ? { decoded: reading.decoded.join('+') } : {}),
        });
      }
    }
    if (findings.length > 0 || !this.learned) return findings;
    return learnedFindings(this.learned, [...readings, ...pieces.flatMap((piece) => readingsOf(piece))], {
      labels: this.categories,
      encoderReadings: readings,
    });
  }
}

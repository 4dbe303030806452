import { contentText, LlmopsError, systemClock } from '@llmops/kernel';
import { messageTokensAtMost } from '@llmops/providers';
import type { ChatMessage, Clock } from '@llmops/kernel';
import { HarmClassifier } from '../domain/guardrails/harm-classifier.js';
import type { GuardrailPolicy } from '../domain/guardrails/guardrail-policy.js';
import { findingCategories } from '../domain/guardrails/guardrail-verdict.js';
import type {
  GuardrailAction,
  GuardrailCheckKind,
  GuardrailFinding,
  GuardrailStage,
  GuardrailVerdict,
} from '../domain/guardrails/guardrail-verdict.js';
import { detectInjection, withoutScopedRuleVoids } from '../domain/guardrails/injection-heuristics.js';
import {
  learnedFindings,
  learnedHarmOption,
  learnedInjectionCheckOf,
  learnedInjectionInPieces,
} from '../domain/guardrails/learned-findings.js';
import { passageSentenceUnitsOf, passageUnitsOf } from '../domain/guardrails/passage-units.js';
import type { LearnedCheck } from '../domain/guardrails/learned-findings.js';
import { detectLanguage } from '../domain/guardrails/text-language.js';
import { readingsOf } from '../domain/guardrails/text-readings.js';
import { allowListOf, detectPii, redactPii } from '../domain/guardrails/pii-detectors.js';
import type { PiiKind, PiiMatch } from '../domain/guardrails/pii-detectors.js';
import { unsourcedUrls } from '../domain/guardrails/source-urls.js';
import { disjointSpans, redactSpans } from '../domain/guardrails/text-redaction.js';
import type { TextRedaction } from '../domain/guardrails/text-redaction.js';
import type { ModerationSettings } from '../domain/guardrails/guardrail-policy.js';
import type { ModerationClient, ModerationResult } from '../ports.js';

/** The category of a moderation verdict the service could not give (see the policy's `onUnavailable`). */
export const guardUnavailableCategory = 'guard_unavailable';

/** Why a request or an answer was blocked. */
export interface GuardrailBlock {
  policy: string;
  stage: GuardrailStage;
  check: GuardrailCheckKind;
  /** What was found, for example `['violence']` or `['instruction_override']`. */
  categories: string[];
}

/** The outcome of the input checks: the (possibly redacted) messages, every verdict, and the block if any. */
export interface InputCheckResult {
  messages: ChatMessage[];
  verdicts: GuardrailVerdict[];
  block?: GuardrailBlock;
}

/** The outcome of the output checks on a text. */
export interface OutputCheckResult {
  /** The text with personal data redacted when the policy says so. */
  text: string;
  verdicts: GuardrailVerdict[];
  /** Where the redacted personal data and links are in the checked text (empty unless an action is `redact`). */
  redactions: TextRedaction[];
  block?: GuardrailBlock;
}

/** Settings of {@link GuardrailEngine}. */
export interface GuardrailEngineOptions {
  policyName: string;
  policy: GuardrailPolicy;
  /** The moderation service the policy's `moderation` section describes, when it has one. */
  moderation?: ModerationClient;
  /** Counts the tokens of a conversation for the `maxTokens` check (the model's tokenizer). */
  countMessageTokens: (messages: readonly ChatMessage[]) => number;
  clock?: Clock;
}

function outcomeOf(action: GuardrailAction, found: boolean): GuardrailVerdict['outcome'] {
  if (!found) return 'pass';
  return action === 'block' ? 'blocked' : action === 'redact' ? 'redacted' : 'flagged';
}

/** Finds personal data a PII check cares about: of its kinds, and not on its allow list. */
type PiiFinder = (text: string) => PiiMatch[];

function piiFinder(check: {
  kinds?: readonly PiiKind[] | undefined;
  allow?: readonly string[] | undefined;
}): PiiFinder {
  const allowed = allowListOf(check.allow ?? []);
  return (text) => detectPii(text, check.kinds).filter((match) => !allowed(text.slice(match.start, match.end)));
}

function redactMessage(message: ChatMessage, find: PiiFinder): { message: ChatMessage; found: PiiMatch[] } {
  const content = message.content;
  if (typeof content === 'string') {
    const found = find(content);
    return {
      message: found.length === 0 ? message : ({ ...message, content: redactPii(content, found) } as ChatMessage),
      found,
    };
  }
  if (!Array.isArray(content)) return { message, found: [] };
  const all: PiiMatch[] = [];
  const parts = content.map((part) => {
    if (part.type !== 'text' || typeof part['text'] !== 'string') return part;
    const found = find(part['text']);
    all.push(...found);
    return found.length === 0 ? part : { ...part, text: redactPii(part['text'], found) };
  });
  return { message: all.length === 0 ? message : ({ ...message, content: parts } as ChatMessage), found: all };
}

/**
 * How the injection rules read system, developer and assistant turns: a negated phrase is a rule or a refusal, and
 * the jailbreak-structure rules do not run ("never refuse a refund request", "stay in character" are an operator's
 * rules; wiki/Serving.md, fifteenth pass), as the learned injection head does not.
 */
const operatorOrAnswerReading = { ignoreNegated: true, jailbreakStructure: false } as const;

/** A text the input checks judge: one message's, or the user's turns joined. */
interface JudgedText {
  text: string;
  /** System and developer instructions and assistant turns, where "never reveal the system prompt" is a rule or a refusal. */
  instructionsOrAnswer: boolean;
  /** The user's turns joined, so that a request split across turns is judged whole. */
  joined: boolean;
}

/**
 * Every text of a conversation the input checks judge: each message, whatever its role (system and
 * developer instructions, user turns, assistant turns the client wrote, tool results), and, when the
 * user spoke more than once, the user's turns joined (a request split across two turns is one request).
 */
function judgedTexts(messages: readonly ChatMessage[]): JudgedText[] {
  const texts: JudgedText[] = messages
    .map((message) => ({
      text: contentText(message.content),
      instructionsOrAnswer: message.role === 'system' || message.role === 'developer' || message.role === 'assistant',
      joined: false,
    }))
    .filter((text) => text.text.trim() !== '');
  const userTurns = messages
    .filter((message) => message.role === 'user')
    .map((message) => contentText(message.content));
  if (userTurns.length > 1) texts.push({ text: userTurns.join('\n'), instructionsOrAnswer: false, joined: true });
  return texts;
}

/**
 * Runs a guardrail policy's checks. Input checks judge every message of the conversation (see
 * `judgedTexts`); output checks the answer's text. Checks run in a fixed order,
 * cheapest first (size, injection, harmful content, language, moderation, PII), and stop at the first block.
 */
export class GuardrailEngine {
  readonly policyName: string;
  readonly policy: GuardrailPolicy;
  private readonly moderation: ModerationClient | undefined;
  private readonly countMessageTokens: (messages: readonly ChatMessage[]) => number;
  private readonly clock: Clock;
  private readonly inputClassifier: HarmClassifier | undefined;
  private readonly outputClassifier: HarmClassifier | undefined;
  private readonly inputInjection: LearnedCheck | undefined;
  private readonly outputInjection: LearnedCheck | undefined;
  private readonly inputPii: PiiFinder | undefined;
  private readonly outputPii: PiiFinder | undefined;

  /** @throws LlmopsError `invalid_input` when a stage uses the moderation check and no moderation client is given. */
  constructor(options: GuardrailEngineOptions) {
    this.policyName = options.policyName;
    this.policy = options.policy;
    this.moderation = options.moderation;
    this.countMessageTokens = options.countMessageTokens;
    this.clock = options.clock ?? systemClock;
    const classifierFor = (check: GuardrailPolicy['input']['harmful']) =>
      check
        ? new HarmClassifier({
            ...(check.categories ? { categories: check.categories } : {}),
            ...(check.extraTerms ? { extraTerms: check.extraTerms } : {}),
            ...learnedHarmOption(check.classifier),
          })
        : undefined;
    this.inputClassifier = classifierFor(options.policy.input.harmful);
    this.outputClassifier = classifierFor(options.policy.output.harmful);
    this.inputInjection = options.policy.input.injection
      ? learnedInjectionCheckOf(options.policy.input.injection.classifier)
      : undefined;
    // On the answer the learned stages run only when the policy names them: the default policy's echo check stays
    // the heuristics alone, whose cost and false alarms on answers are the measured ones.
    const outputInjection = options.policy.output.injection?.classifier;
    this.outputInjection = outputInjection ? learnedInjectionCheckOf(outputInjection) : undefined;
    this.inputPii = options.policy.input.pii ? piiFinder(options.policy.input.pii) : undefined;
    this.outputPii = options.policy.output.pii ? piiFinder(options.policy.output.pii) : undefined;
    if ((options.policy.input.moderation || options.policy.output.moderation) && !options.moderation) {
      throw new LlmopsError(
        'invalid_input',
        `guardrail policy "${options.policyName}" runs a moderation check but no moderation service was configured`,
      );
    }
  }

  private verdict(
    stage: GuardrailStage,
    check: GuardrailCheckKind,
    context: { action: GuardrailAction; findings: GuardrailFinding[]; startedAt: number },
  ): GuardrailVerdict {
    return {
      stage,
      check,
      action: context.action,
      outcome: outcomeOf(context.action, context.findings.length > 0),
      findings: context.findings,
      durationMs: this.clock.monotonic() - context.startedAt,
    };
  }

  private blockOf(verdict: GuardrailVerdict): GuardrailBlock | undefined {
    if (verdict.outcome !== 'blocked') return undefined;
    return {
      policy: this.policyName,
      stage: verdict.stage,
      check: verdict.check,
      categories: findingCategories(verdict.findings),
    };
  }

  /**
   * The moderation check of a stage. When the service fails (unreachable, timed out, an HTTP error, an
   * answer that is not a verdict) the policy's `onUnavailable` decides: `block` (fail closed) blocks with
   * category `guard_unavailable`, `allow` (fail open) passes with that category flagged. The finding's rule
   * names the failure (`moderation.timeout`), never its message. A request the client abandoned still throws.
   */
  private async moderate(
    stage: GuardrailStage,
    text: string,
    options: { signal: AbortSignal | undefined; question?: string | undefined },
  ): Promise<GuardrailVerdict> {
    const check = this.policy[stage].moderation as { action: GuardrailAction };
    const settings = this.policy.moderation as ModerationSettings;
    const startedAt = this.clock.monotonic();
    let result: ModerationResult;
    try {
      result = await (this.moderation as ModerationClient).moderate(text, {
        role: stage === 'input' ? 'user' : 'assistant',
        ...(options.signal ? { signal: options.signal } : {}),
        ...(stage === 'output' && options.question !== undefined ? { question: options.question } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const code = LlmopsError.fromUnknown(error).code;
      const failClosed = settings.onUnavailable === 'block';
      return {
        ...this.verdict(stage, 'moderation', {
          action: failClosed ? 'block' : 'flag',
          findings: [{ category: guardUnavailableCategory, rule: `moderation.${code}` }],
          startedAt,
        }),
        unavailable: code,
      };
    }
    const findings: GuardrailFinding[] = result.flagged
      ? (result.categories.length > 0 ? result.categories : [{ category: 'flagged' }]).map((category) => ({
          category: category.category,
          rule: 'rule' in category && category.rule !== undefined ? category.rule : 'moderation',
          ...('score' in category && category.score !== undefined ? { score: category.score } : {}),
        }))
      : [];
    return this.verdict(stage, 'moderation', { action: check.action, findings, startedAt });
  }

  /** Checks a request's messages; returns them redacted when the PII action is `redact`. */
  async checkInput(
    messages: readonly ChatMessage[],
    options: { signal?: AbortSignal } = {},
  ): Promise<InputCheckResult> {
    const checks = this.policy.input;
    const verdicts: GuardrailVerdict[] = [];
    // Built on first use: a policy without the checks that read it (`none`) skips it.
    let judgedOnce: JudgedText[] | undefined;
    const judged = () => (judgedOnce ??= judgedTexts(messages));
    const finish = (verdict: GuardrailVerdict, current: ChatMessage[]): InputCheckResult | undefined => {
      verdicts.push(verdict);
      const block = this.blockOf(verdict);
      return block ? { messages: current, verdicts, block } : undefined;
    };
    let current = [...messages];
    if (checks.maxTokens) {
      const startedAt = this.clock.monotonic();
      // The tokenizer runs only when the byte bound could pass the limit (long conversations).
      const bound = messageTokensAtMost(messages);
      const tokens = bound <= checks.maxTokens.limit ? bound : this.countMessageTokens(messages);
      const findings =
        tokens > checks.maxTokens.limit
          ? [{ category: 'input_too_long', rule: `max_tokens.${checks.maxTokens.limit}`, score: tokens }]
          : [];
      const done = finish(
        this.verdict('input', 'max_tokens', { action: checks.maxTokens.action, findings, startedAt }),
        current,
      );
      if (done) return done;
    }
    if (checks.injection) {
      const startedAt = this.clock.monotonic();
      const found = judged().flatMap((text) =>
        detectInjection(text.text, text.instructionsOrAnswer ? operatorOrAnswerReading : {}),
      );
      // The learned head reads what the user and tools wrote, not the operator's or the model's own turns, and
      // not the rule-voiding phrases the rules judged scoped to a topic or one object (sixteenth pass).
      const learned = this.inputInjection;
      const findings =
        found.length > 0 || !learned
          ? found
          : judged()
              .filter((text) => !text.instructionsOrAnswer)
              .flatMap((text) =>
                learnedFindings(
                  learned,
                  readingsOf(text.text).map((reading) => ({
                    ...reading,
                    text: withoutScopedRuleVoids(reading.text) ?? reading.text,
                  })),
                  { labels: ['injection'] },
                ),
              );
      const done = finish(
        this.verdict('input', 'injection', { action: checks.injection.action, findings, startedAt }),
        current,
      );
      if (done) return done;
    }
    if (checks.harmful && this.inputClassifier) {
      const startedAt = this.clock.monotonic();
      const classifier = this.inputClassifier;
      const findings = judged().flatMap((text) => classifier.classify(text.text));
      const done = finish(
        this.verdict('input', 'harmful', { action: checks.harmful.action, findings, startedAt }),
        current,
      );
      if (done) return done;
    }
    if (checks.language) {
      const startedAt = this.clock.monotonic();
      const userText = messages
        .filter((message) => message.role === 'user')
        .map((message) => contentText(message.content))
        .join('\n');
      const reading = detectLanguage(userText);
      const findings: GuardrailFinding[] = reading.covered
        ? []
        : [{ category: 'uncovered_language', rule: `language.${reading.language}` }];
      const done = finish(
        this.verdict('input', 'language', { action: checks.language.uncovered, findings, startedAt }),
        current,
      );
      if (done) return done;
    }
    if (checks.moderation) {
      const conversation = judged()
        .filter((text) => !text.joined)
        .map((text) => text.text)
        .join('\n\n');
      const done = finish(await this.moderate('input', conversation, { signal: options.signal }), current);
      if (done) return done;
    }
    if (checks.pii && this.inputPii) {
      const startedAt = this.clock.monotonic();
      const check = checks.pii;
      const find = this.inputPii;
      const findings: GuardrailFinding[] = [];
      current = current.map((message) => {
        if (message.role !== 'user') return message;
        const { message: redacted, found } = redactMessage(message, find);
        findings.push(
          ...found.map((match) => ({ category: match.kind, rule: match.rule, start: match.start, end: match.end })),
        );
        return check.action === 'redact' ? redacted : message;
      });
      const done = finish(this.verdict('input', 'pii', { action: check.action, findings, startedAt }), current);
      if (done) return done;
    }
    return { messages: current, verdicts };
  }

  /**
   * Checks an answer's text (on streams: the whole text so far); returns it redacted when the PII or
   * URL action is `redact`. `sources` are the texts the answer may take links from (the conversation,
   * the retrieved passages); without them the URL check does not run. `question` is the user's message
   * the answer replies to, shown to a moderation service that judges the answer in its conversation.
   */
  async checkOutput(
    text: string,
    options: { signal?: AbortSignal; sources?: readonly string[]; question?: string } = {},
  ): Promise<OutputCheckResult> {
    const checks = this.policy.output;
    const verdicts: GuardrailVerdict[] = [];
    const redactions: TextRedaction[] = [];
    const record = (verdict: GuardrailVerdict): OutputCheckResult | undefined => {
      verdicts.push(verdict);
      const block = this.blockOf(verdict);
      return block ? { text, verdicts, redactions: [], block } : undefined;
    };
    if (checks.harmful && this.outputClassifier) {
      const startedAt = this.clock.monotonic();
      // Read as retrieved passages are (wiki/Serving.md, "Tenth pass"): one harmful sentence among the help
      // sentences of a long answer would be diluted below the n-gram head's thresholds read whole.
      const findings = this.outputClassifier.classify(text, { pieces: passageUnitsOf(text) });
      const done = record(this.verdict('output', 'harmful', { action: checks.harmful.action, findings, startedAt }));
      if (done) return done;
    }
    if (checks.injection) {
      const startedAt = this.clock.monotonic();
      // An answer refusing ("I cannot reveal my system prompt") is not an echo.
      const found = detectInjection(text, { ignoreNegated: true });
      const learned = this.outputInjection;
      // The learned heads read words, not negation: an answer whose injection phrases are all negated is a refusal
      // (measured: the n-gram head gives "I cannot reveal my system prompt or ignore my instructions." 0.957).
      const refusal = (): boolean => detectInjection(text).length > 0;
      const findings =
        found.length > 0 || !learned || text.trim() === '' || refusal()
          ? found
          : learnedInjectionInPieces(learned, text, {
              pieces: passageUnitsOf(text),
              sentences: passageSentenceUnitsOf(text),
            });
      const done = record(
        this.verdict('output', 'injection', { action: checks.injection.action, findings, startedAt }),
      );
      if (done) return done;
    }
    if (checks.moderation && text.trim() !== '') {
      const done = record(await this.moderate('output', text, { signal: options.signal, question: options.question }));
      if (done) return done;
    }
    if (checks.urls && options.sources) {
      const startedAt = this.clock.monotonic();
      const found = unsourcedUrls(text, options.sources, checks.urls.allow ?? []);
      const findings = found.map((match) => ({
        category: 'unsourced_url',
        rule: 'urls.not_in_sources',
        start: match.start,
        end: match.end,
      }));
      const done = record(this.verdict('output', 'urls', { action: checks.urls.action, findings, startedAt }));
      if (done) return done;
      if (checks.urls.action === 'redact')
        redactions.push(...found.map((match) => ({ kind: 'url', start: match.start, end: match.end })));
    }
    if (checks.pii && this.outputPii) {
      const startedAt = this.clock.monotonic();
      const found = this.outputPii(text);
      const findings = found.map((match) => ({
        category: match.kind,
        rule: match.rule,
        start: match.start,
        end: match.end,
      }));
      const done = record(this.verdict('output', 'pii', { action: checks.pii.action, findings, startedAt }));
      if (done) return done;
      if (checks.pii.action === 'redact') redactions.push(...found);
    }
    if (redactions.length === 0) return { text, verdicts, redactions: [] };
    const applied = disjointSpans(redactions);
    return { text: redactSpans(text, applied), verdicts, redactions: applied };
  }
}

/**
 * The error a blocked request or answer fails with: `guardrail_blocked` (HTTP 400), naming the
 * policy, the stage, the check and the categories found.
 */
export function guardrailBlockedError(block: GuardrailBlock): LlmopsError {
  const found = block.categories.length > 0 ? block.categories.join(', ') : 'a violation';
  const what = block.stage === 'input' ? 'the request' : 'the answer';
  return new LlmopsError(
    'guardrail_blocked',
    `${what} was blocked by guardrail policy "${block.policy}": the ${block.stage} check "${block.check}" found ${found}`,
    { details: block },
  );
}

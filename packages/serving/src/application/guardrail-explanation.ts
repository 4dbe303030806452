import { LlmopsError } from '@llmops/kernel';
import { countMessageTokens } from '@llmops/providers';
import type { GuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import type { GuardrailPolicy } from '../domain/guardrails/guardrail-policy.js';
import type {
  GuardrailAction,
  GuardrailCheckKind,
  GuardrailStage,
  GuardrailVerdict,
} from '../domain/guardrails/guardrail-verdict.js';
import { detectPii } from '../domain/guardrails/pii-detectors.js';
import { GuardrailEngine } from './guardrail-engine.js';

/** One thing a check found, explained for the operator who asked. */
export interface ExplainedFinding {
  check: GuardrailCheckKind;
  action: GuardrailAction;
  category: string;
  rule: string;
  /** Where the match is in the text (`text.slice(start, end)`), when the check locates it. */
  start?: number;
  end?: number;
  /** The matched text: the operator's own input, shown only in this explanation, never in logs or events. */
  matched?: string;
  /** The value the match decodes to when it differs from the written form (`jane.doe@gmail.com`, card digits). */
  decoded?: string;
  score?: number;
}

/** What a policy does with one text on one side, and why. */
export interface GuardrailExplanation {
  policy: string;
  side: GuardrailStage;
  /** `allowed`: nothing blocked (findings may still be flagged or redacted, see `findings`). */
  verdict: 'allowed' | 'blocked';
  /** Whether the text would be changed (personal data redacted) or flagged. */
  redacted: boolean;
  flagged: boolean;
  findings: ExplainedFinding[];
  /** The text as the model (input) or the client (output) would see it, when redaction changed it. */
  redactedText?: string;
  /** Checks of the policy this explanation did not run (the moderation check calls a service). */
  skipped: GuardrailCheckKind[];
}

/** Settings of {@link explainGuardrails}. */
export interface ExplainGuardrailsOptions {
  policies: GuardrailPolicies;
  policyName: string;
  side: GuardrailStage;
  text: string;
}

/** The policy without its moderation checks, which need a service this explanation does not call. */
function withoutModeration(policy: GuardrailPolicy): GuardrailPolicy {
  const input = { ...policy.input };
  const output = { ...policy.output };
  delete input.moderation;
  delete output.moderation;
  const stripped: GuardrailPolicy = { ...policy, input, output };
  delete stripped.moderation;
  return stripped;
}

function explained(verdict: GuardrailVerdict, text: string): ExplainedFinding[] {
  if (verdict.outcome === 'pass') return [];
  const decodedAt = new Map(
    verdict.check === 'pii'
      ? detectPii(text).flatMap((match) => (match.decoded ? [[`${match.start}:${match.end}`, match.decoded]] : []))
      : [],
  );
  return verdict.findings.map((finding) => {
    const located = finding.start !== undefined && finding.end !== undefined;
    const decoded = located ? decodedAt.get(`${finding.start}:${finding.end}`) : undefined;
    return {
      check: verdict.check,
      action: verdict.action,
      category: finding.category,
      rule: finding.rule,
      ...(located ? { start: finding.start, end: finding.end, matched: text.slice(finding.start, finding.end) } : {}),
      ...(decoded === undefined ? {} : { decoded }),
      ...(finding.score === undefined ? {} : { score: finding.score }),
    };
  });
}

/**
 * Runs a policy's checks of one side on a text, as serving would (a single user message on the input side, the
 * answer's text on the output side), and explains the verdict: each finding with its check, action, category and
 * rule, where it is and what it matched. The moderation check is skipped (it calls a service) and reported so.
 * @throws LlmopsError `invalid_input` for an unknown policy (naming the known ones) or an empty text.
 */
export async function explainGuardrails(options: ExplainGuardrailsOptions): Promise<GuardrailExplanation> {
  if (options.text.trim() === '') throw new LlmopsError('invalid_input', 'the text to check is empty; pass the text');
  const policy = options.policies.get(options.policyName);
  const skipped: GuardrailCheckKind[] = policy[options.side].moderation ? ['moderation'] : [];
  const engine = new GuardrailEngine({
    policyName: options.policyName,
    policy: withoutModeration(policy),
    countMessageTokens: (messages) => countMessageTokens(messages),
  });
  let verdicts: GuardrailVerdict[];
  let redactedText: string | undefined;
  let blocked: boolean;
  if (options.side === 'input') {
    const result = await engine.checkInput([{ role: 'user', content: options.text }]);
    verdicts = result.verdicts;
    blocked = result.block !== undefined;
    const content = result.messages[0]?.content;
    if (!blocked && typeof content === 'string' && content !== options.text) redactedText = content;
  } else {
    const result = await engine.checkOutput(options.text);
    verdicts = result.verdicts;
    blocked = result.block !== undefined;
    if (!blocked && result.text !== options.text) redactedText = result.text;
  }
  return {
    policy: options.policyName,
    side: options.side,
    verdict: blocked ? 'blocked' : 'allowed',
    redacted: redactedText !== undefined,
    flagged: verdicts.some((verdict) => verdict.outcome === 'flagged'),
    findings: verdicts.flatMap((verdict) => explained(verdict, options.text)),
    ...(redactedText === undefined ? {} : { redactedText }),
    skipped,
  };
}

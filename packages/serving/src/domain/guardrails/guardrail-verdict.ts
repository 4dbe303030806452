/** Where a guardrail check runs: on the request before the model, or on the model's answer. */
export type GuardrailStage = 'input' | 'output';

/** The kinds of check a guardrail policy can run. */
export type GuardrailCheckKind = 'harmful' | 'pii' | 'injection' | 'max_tokens' | 'moderation' | 'urls' | 'language';

/** What a policy does when a check finds something. */
export type GuardrailAction = 'block' | 'redact' | 'flag';

/** What happened: nothing found, or the action that was taken. */
export type GuardrailOutcome = 'pass' | 'blocked' | 'redacted' | 'flagged';

/**
 * One thing a check found. `category` names it (`violence`, `email`, `instruction_override`…);
 * `rule` is the id of the lexicon entry or pattern that matched; `start`/`end` locate it in the
 * checked text. The matched text itself is never kept, so that verdicts (which go to traces and
 * logs) carry no personal data.
 */
export interface GuardrailFinding {
  category: string;
  rule: string;
  start?: number;
  end?: number;
  /** A score in [0, 1] when the check has one (moderation endpoints, judges). */
  score?: number;
  /**
   * Set when the match was in a decoded form of the text, not in the text as written: the decodings
   * applied, in order, joined with `+` (`base64`, `base64+rot13`, `reversed`).
   */
  decoded?: string;
}

/** The verdict of one check on one stage. */
export interface GuardrailVerdict {
  stage: GuardrailStage;
  check: GuardrailCheckKind;
  /** The action the policy configures for this check. */
  action: GuardrailAction;
  outcome: GuardrailOutcome;
  findings: GuardrailFinding[];
  /** Time the check took, in milliseconds. */
  durationMs: number;
  /**
   * Set when the check's service failed and the policy's `onUnavailable` decided instead: the error code
   * (`timeout`, `upstream_error`…). The verdict is then `blocked` (fail closed) or `flagged` (fail open).
   */
  unavailable?: string;
}

/** The distinct categories of some findings, in first-seen order. */
export function findingCategories(findings: readonly GuardrailFinding[]): string[] {
  return [...new Set(findings.map((finding) => finding.category))];
}

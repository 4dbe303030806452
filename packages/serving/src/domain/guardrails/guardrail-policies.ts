import { LlmopsError } from '@llmops/kernel';
import { guardrailPolicySchema } from './guardrail-policy.js';
import type { GuardrailPolicy } from './guardrail-policy.js';

/** Guardrail policies by name, as loaded from a guardrails file. */
export class GuardrailPolicies {
  private readonly policies: ReadonlyMap<string, GuardrailPolicy>;

  constructor(policies: Readonly<Record<string, GuardrailPolicy>>) {
    this.policies = new Map(Object.entries(policies));
  }

  /** The policy names, sorted. */
  names(): string[] {
    return [...this.policies.keys()].sort();
  }

  /**
   * The policy of a name.
   * @throws LlmopsError `invalid_input` for an unknown name, listing the known ones.
   */
  get(name: string): GuardrailPolicy {
    const policy = this.policies.get(name);
    if (!policy) {
      throw new LlmopsError(
        'invalid_input',
        `guardrail policy "${name}" is not defined; known policies: ${this.names().join(', ') || '(none)'} (define it in confs/guardrails.yaml)`,
      );
    }
    return policy;
  }
}

/**
 * The built-in `default` policy, used when no guardrails file is given: on input, harmful content (the
 * lexicon, then the learned classifier), prompt injection and inputs above 16,000 tokens are blocked, PII
 * is redacted, and input in a language the local classifiers do not cover is flagged; retrieved passages
 * with injected instructions or harmful content are dropped; on output, harmful content and echoed
 * injection are blocked, and links the sources do not contain and PII are redacted. (`confs/guardrails.yaml` ships the same
 * `default` and more policies.)
 */
export function builtInGuardrailPolicies(): GuardrailPolicies {
  return new GuardrailPolicies({
    default: guardrailPolicySchema.parse({
      description: 'block harmful content and prompt injection, redact personal data',
      input: { harmful: {}, injection: {}, pii: {}, maxTokens: { limit: 16_000 }, language: { uncovered: 'flag' } },
      output: { harmful: {}, injection: {}, urls: {}, pii: {} },
    }),
  });
}

import { loadConfig } from '@llmops/kernel';
import { GuardrailPolicies } from '../../domain/guardrails/guardrail-policies.js';
import { guardrailsFileSchema } from '../../domain/guardrails/guardrail-policy.js';

/** The guardrails file of the workspace, relative to its root. */
export const defaultGuardrailsFile = 'confs/guardrails.yaml';

/**
 * Loads guardrail policies from a YAML file (see `confs/guardrails.yaml`) with the kernel's config
 * loader (`${env:VAR}` interpolation, errors naming file, line and field).
 * @throws LlmopsError `invalid_input` for a missing file, a YAML error or an invalid policy.
 */
export function loadGuardrailPolicies(
  file: string,
  options: { env?: Record<string, string | undefined>; readFile?: (path: string) => string } = {},
): GuardrailPolicies {
  const parsed = loadConfig({ files: [file], schema: guardrailsFileSchema, ...options });
  return new GuardrailPolicies(parsed.policies);
}

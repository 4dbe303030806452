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
  options: {
    env?: Record<string, string | undefined>;
    readFile?: (path: string) => string;
    /**
     * Maps a file a policy names (the encoder stage's `weights`, in a harmful or an injection check) to the path read, or throws: the server confines it
     * to the workspace and its data roots, like every operator file.
     */
    confineFile?: (path: string, what: string) => string;
  } = {},
): GuardrailPolicies {
  const { confineFile, ...configOptions } = options;
  const parsed = loadConfig({ files: [file], schema: guardrailsFileSchema, ...configOptions });
  if (confineFile) {
    for (const policy of Object.values(parsed.policies)) {
      for (const check of [
        policy.input.harmful,
        policy.output.harmful,
        policy.retrieved?.harmful,
        policy.input.injection,
        policy.output.injection,
        policy.retrieved?.injection,
      ]) {
        const encoder = check?.classifier?.encoder;
        if (encoder) encoder.weights = confineFile(encoder.weights, 'encoder weights');
      }
    }
  }
  return new GuardrailPolicies(parsed.policies);
}

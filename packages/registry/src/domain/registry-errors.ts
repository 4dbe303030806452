import { LlmopsError } from '@llmops/kernel';
import type { SubjectKind } from './registry-names.js';

function describeTarget(version: number | null): string {
  return version === null ? 'not set' : `version ${version}`;
}

/** The `conflict` of a compare-and-set whose alias no longer points where the caller expected. */
export function aliasConflictError(options: {
  kind: SubjectKind;
  name: string;
  alias: string;
  expected: number | null;
  actual: number | null;
}): LlmopsError {
  return new LlmopsError(
    'conflict',
    `alias "${options.alias}" of ${options.kind} "${options.name}" is ${describeTarget(options.actual)}, expected ${describeTarget(options.expected)}; ` +
      'it was changed by someone else: read it again and retry',
    { details: { alias: options.alias, expected: options.expected, actual: options.actual } },
  );
}

/** The `not_found` of an unknown prompt or model. */
export function subjectNotFoundError(options: { kind: SubjectKind; name: string }): LlmopsError {
  return new LlmopsError('not_found', `${options.kind} "${options.name}" not found`);
}

/** The `not_found` of an unknown version of a known prompt or model. */
export function versionNotFoundError(options: { kind: SubjectKind; name: string; version: number }): LlmopsError {
  return new LlmopsError('not_found', `version ${options.version} of ${options.kind} "${options.name}" not found`);
}

/** The `conflict` of a name already used by the other kind (prompts and models share one namespace, as in MLflow). */
export function nameTakenError(options: { kind: SubjectKind; name: string }): LlmopsError {
  const other = options.kind === 'prompt' ? 'model' : 'prompt';
  return new LlmopsError(
    'conflict',
    `cannot register ${options.kind} "${options.name}": the name belongs to a ${other}; prompts and models share one namespace (as in MLflow)`,
  );
}

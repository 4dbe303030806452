import { LlmopsError } from '@llmops/kernel';

/**
 * The positive number an environment variable holds; undefined when it is unset or blank.
 * @throws LlmopsError `invalid_input` naming the variable, for anything else.
 */
export function positiveNumberEnv(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new LlmopsError('invalid_input', `${name} "${value}" is not a positive number`);
  return parsed;
}

/**
 * The boolean an environment variable holds (`true`, `1`, `yes` / `false`, `0`, `no`); undefined when unset or blank.
 * @throws LlmopsError `invalid_input` naming the variable, for anything else.
 */
export function booleanEnv(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^(true|1|yes)$/i.test(value.trim())) return true;
  if (/^(false|0|no)$/i.test(value.trim())) return false;
  throw new LlmopsError('invalid_input', `${name} "${value}" is not true or false`);
}

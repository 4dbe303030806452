import type { ErrorCode } from '@llmops/kernel';

/** Exit codes of `llmops`: 0 success, 1 runtime error, 2 usage or invalid input, 100 a quality gate failed. */
export const exitCodes = { success: 0, runtimeError: 1, usage: 2, gateFailed: 100 } as const;

/**
 * The exit code for an error code. A reference to something that does not exist (`not_found`) is
 * the user's input being wrong, like `invalid_input`, and so is a file outside the workspace (`forbidden`,
 * the only refusal of access the CLI meets): all exit 2.
 */
export function exitCodeFor(code: ErrorCode): number {
  if (code === 'gate_failed') return exitCodes.gateFailed;
  if (code === 'invalid_input' || code === 'not_found' || code === 'forbidden') return exitCodes.usage;
  return exitCodes.runtimeError;
}

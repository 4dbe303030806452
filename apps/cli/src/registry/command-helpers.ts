import { LlmopsError } from '@llmops/kernel';
import type { CommandContext } from '../cli-io.js';

/** Collects a repeatable option (`--alias a --alias b`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Reads a version argument: a whole number from 1.
 * @throws LlmopsError `invalid_input` naming the argument.
 */
export function parseVersionArgument(text: string, what = 'version'): number {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) {
    throw new LlmopsError('invalid_input', `${what} "${text}" is not a whole number from 1 upwards`);
  }
  return Number(text);
}

/** Prints `value` as JSON under `--json`, else `text`. */
export function printResult(context: CommandContext, output: { value: unknown; text: () => string }): void {
  context.io.stdout(context.globals.json ? `${JSON.stringify(output.value, null, 2)}\n` : output.text());
}

import { LlmopsError } from '../errors/llmops-error.js';

/** The characters MLflow allows in registered model and prompt names; {@link isValidName} is llmops' whole rule. */
export const namePattern = /^[A-Za-z0-9_.-]+$/;

/** Longest name of a prompt, model or alias. */
export const maxNameLength = 64;

/** Words YAML, JSON or a shell read as something other than a name (compared case-insensitively). */
const reservedNames = new Set(['null', 'undefined', 'true', 'false', 'nan', 'infinity']);

/** The name rule in words, for error messages and documentation. */
export const nameRuleText = `1 to ${maxNameLength} characters of A-Z a-z 0-9 _ . -, not starting with . or -, not a number and not a reserved word (null, true, false…)`;

/** A reference to a version of a registered prompt or model. */
export type Reference =
  | { kind: 'latest'; name: string }
  | { kind: 'version'; name: string; version: number }
  | { kind: 'alias'; name: string; alias: string };

const expected = 'expected `name`, `name@alias` or `name/version` with name and alias made of A-Z a-z 0-9 _ . -';

/** Why a text is not a valid name, or `undefined` when it is one. */
function nameProblem(value: string): string | undefined {
  if (value.length === 0) return 'is empty';
  if (value.length > maxNameLength) return `is longer than ${maxNameLength} characters`;
  if (!namePattern.test(value)) return 'has characters outside A-Z a-z 0-9 _ . -';
  if (value.startsWith('.') || value.startsWith('-')) return 'starts with . or -';
  if (Number.isFinite(Number(value))) return 'is a number';
  if (reservedNames.has(value.toLowerCase())) return 'is a reserved word';
  return undefined;
}

/**
 * The one name rule of prompts, models and aliases (registry, CLI and API): 1 to 64 characters of
 * letters, digits, `_`, `.` and `-`, not starting with `.` or `-`, not a number (`7`, `1e3`), not a
 * reserved word (`null`, `true`, `false`, `undefined`, `nan`, `infinity`).
 */
export function isValidName(value: string): boolean {
  return nameProblem(value) === undefined;
}

/**
 * Checks a name (of a prompt, model or alias) against the name rule ({@link isValidName}).
 * @throws LlmopsError `invalid_input` naming `what`, the offending value (cut to 40 characters) and the rule.
 */
export function assertValidName(value: string, what = 'name'): string {
  const problem = nameProblem(value);
  if (problem === undefined) return value;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  const subject = value.length === 0 ? what : `${what} "${shown}"`;
  throw new LlmopsError('invalid_input', `${subject} ${problem}; expected ${nameRuleText}`);
}

/**
 * Parses `name`, `name@alias` or `name/7`. `name@latest` is the same as `name`.
 * @throws LlmopsError `invalid_input` saying which part of the reference is wrong.
 */
export function parseReference(text: string): Reference {
  const where = `reference "${text}"`;
  if (text.trim().length === 0) throw new LlmopsError('invalid_input', `reference is empty; ${expected}`);
  const at = text.indexOf('@');
  const slash = text.indexOf('/');
  if (at >= 0 && slash >= 0) {
    throw new LlmopsError('invalid_input', `${where} has both an alias (@) and a version (/); ${expected}`);
  }
  if (at >= 0) {
    const name = text.slice(0, at);
    const alias = text.slice(at + 1);
    assertValidName(name, `${where}: name`);
    if (alias.length === 0) throw new LlmopsError('invalid_input', `${where}: alias after "@" is empty; ${expected}`);
    assertValidName(alias, `${where}: alias`);
    return alias === 'latest' ? { kind: 'latest', name } : { kind: 'alias', name, alias };
  }
  if (slash >= 0) {
    const name = text.slice(0, slash);
    const versionText = text.slice(slash + 1);
    assertValidName(name, `${where}: name`);
    if (!/^[1-9][0-9]{0,9}$/.test(versionText)) {
      // `offline/extractive` or `openai/gpt-4o` where a registered model is wanted (chat completions): say so.
      const providerLike = /[A-Za-z]/.test(versionText)
        ? `; "${text}" looks like a provider spec (provider/model), which is not a registered model: register a version that uses it (llmops run confs/register.yaml) and name that`
        : '';
      throw new LlmopsError(
        'invalid_input',
        `${where}: version "${versionText}" is not a whole number from 1 upwards; ${expected}${providerLike}`,
      );
    }
    return { kind: 'version', name, version: Number(versionText) };
  }
  assertValidName(text, `${where}: name`);
  return { kind: 'latest', name: text };
}

/** Formats a reference back to its text form (`name`, `name@alias`, `name/7`). */
export function formatReference(reference: Reference): string {
  switch (reference.kind) {
    case 'latest':
      return reference.name;
    case 'version':
      return `${reference.name}/${reference.version}`;
    case 'alias':
      return `${reference.name}@${reference.alias}`;
  }
}

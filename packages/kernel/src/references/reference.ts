import { LlmopsError } from '../errors/llmops-error.js';

/** The rule MLflow applies to registered model and prompt names, and llmops to names and aliases. */
export const namePattern = /^[A-Za-z0-9_.-]+$/;

/** A reference to a version of a registered prompt or model. */
export type Reference =
  | { kind: 'latest'; name: string }
  | { kind: 'version'; name: string; version: number }
  | { kind: 'alias'; name: string; alias: string };

const expected = 'expected `name`, `name@alias` or `name/version` with name and alias made of A-Z a-z 0-9 _ . -';

/**
 * Checks a name (of a prompt, model or alias) against {@link namePattern}.
 * @throws LlmopsError `invalid_input` naming `what` and the offending value.
 */
export function assertValidName(value: string, what = 'name'): string {
  if (value.length === 0)
    throw new LlmopsError('invalid_input', `${what} is empty; expected characters A-Z a-z 0-9 _ . -`);
  if (value.length > 256)
    throw new LlmopsError('invalid_input', `${what} "${value.slice(0, 40)}…" is longer than 256 characters`);
  if (!namePattern.test(value)) {
    throw new LlmopsError('invalid_input', `${what} "${value}" has characters outside A-Z a-z 0-9 _ . -`);
  }
  return value;
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
      throw new LlmopsError(
        'invalid_input',
        `${where}: version "${versionText}" is not a whole number from 1 upwards; ${expected}`,
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

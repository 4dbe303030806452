import { assertValidName, LlmopsError, maxNameLength } from '@llmops/kernel';

/** What a registry entry is: a prompt or a model (an LLM application). */
export type SubjectKind = 'prompt' | 'model';

/** Longest alias: the kernel's name rule (64), so `previous-<alias>` still fits MLflow's 255. */
export const maxAliasLength = maxNameLength;

/** The prefix of the alias that keeps what an alias pointed to before a promotion (`previous-champion`). */
export const previousAliasPrefix = 'previous-';

/** The alias production traffic follows by convention, and the default target of a promotion. */
export const championAlias = 'champion';

const tagKeyPattern = /^[A-Za-z0-9_.\-/: ]+$/;

/** Longest tag key and tag value the registry accepts (both stores). */
export const tagLimits = { keyLength: 250, valueLength: 5000 } as const;

/**
 * Checks a prompt or model name against the kernel's one name rule (`isValidName`: A-Z a-z 0-9 _ . -, at most 64
 * characters, not starting with `.` or `-`, not a number, not a reserved word such as `null`).
 * @throws LlmopsError `invalid_input` naming what was checked.
 */
export function assertSubjectName(name: string, kind: SubjectKind): string {
  return assertValidName(name, `${kind} name`);
}

/**
 * Checks an alias name: the kernel's name rule (as for names), and further no `.` (MLflow allows none in aliases),
 * not `latest`, which is implicit, and not `v<digits>`, which MLflow reserves for version numbers.
 * @throws LlmopsError `invalid_input` saying what is wrong and what is expected.
 */
export function assertAliasName(alias: string): string {
  assertValidName(alias, 'alias');
  if (alias.includes('.')) {
    throw new LlmopsError('invalid_input', `alias "${alias}" has a "."; aliases are made of A-Z a-z 0-9 _ -`);
  }
  if (alias.toLowerCase() === 'latest') {
    throw new LlmopsError(
      'invalid_input',
      'alias "latest" is implicit (it always means the newest version) and cannot be set',
    );
  }
  if (/^v\d+$/i.test(alias)) {
    throw new LlmopsError(
      'invalid_input',
      `alias "${alias}" looks like a version number, which MLflow reserves; choose another name`,
    );
  }
  return alias;
}

/** The alias that keeps what `alias` pointed to before a promotion moved it: `previous-<alias>`. */
export function previousAliasOf(alias: string): string {
  return `${previousAliasPrefix}${alias}`;
}

/** True for `previous-…` aliases, which only promotion and rollback move. */
export function isPreviousAlias(alias: string): boolean {
  return alias.startsWith(previousAliasPrefix);
}

/**
 * Checks an alias that a user sets or deletes directly: a valid alias that is not a `previous-…`
 * alias (promotion and rollback keep those) and, for models, not `champion`, which only moves through
 * a gated promotion.
 * @throws LlmopsError `invalid_input` naming the alias and the command to use instead.
 */
export function assertDirectlySettableAlias(alias: string, kind: SubjectKind): string {
  assertAliasName(alias);
  if (isPreviousAlias(alias)) {
    throw new LlmopsError(
      'invalid_input',
      `alias "${alias}" is kept by promotion and rollback and cannot be set directly; use \`llmops models promote\` or \`rollback\``,
    );
  }
  if (kind === 'model' && alias === championAlias) {
    throw new LlmopsError(
      'invalid_input',
      `alias "${championAlias}" of a model moves only through a gated promotion; use \`llmops models promote <name> <version>\``,
    );
  }
  return alias;
}

/**
 * Checks tags: keys of A-Z a-z 0-9 _ . - / : and spaces up to 250 characters, not starting with the
 * reserved `llmops.` or `mlflow.`, values up to 5000 characters.
 * @throws LlmopsError `invalid_input` naming the tag.
 */
export function assertValidTags(
  tags: Readonly<Record<string, string>>,
  field = 'tags',
): Readonly<Record<string, string>> {
  for (const [key, value] of Object.entries(tags)) {
    if (/^(llmops|mlflow)\./i.test(key)) {
      throw new LlmopsError(
        'invalid_input',
        `${field}: key "${key.slice(0, 60)}" starts with a prefix the registry reserves (llmops. or mlflow.)`,
      );
    }
    if (key.length === 0 || key.length > tagLimits.keyLength || !tagKeyPattern.test(key)) {
      throw new LlmopsError(
        'invalid_input',
        `${field}: key "${key.slice(0, 60)}" must be 1-${tagLimits.keyLength} characters of A-Z a-z 0-9 _ . - / : and spaces`,
      );
    }
    if (typeof value !== 'string' || value.length > tagLimits.valueLength) {
      throw new LlmopsError(
        'invalid_input',
        `${field}.${key}: value must be a string of at most ${tagLimits.valueLength} characters`,
      );
    }
  }
  return tags;
}

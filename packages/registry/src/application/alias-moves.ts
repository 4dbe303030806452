import { LlmopsError } from '@llmops/kernel';
import { checkReason } from '../domain/audit-entry.js';
import { aliasConflictError } from '../domain/registry-errors.js';
import { assertDirectlySettableAlias, assertSubjectName } from '../domain/registry-names.js';
import type { SubjectKind } from '../domain/registry-names.js';
import { requireModelVersion, requirePromptVersion, requireSubject } from './lookups.js';
import type { RegistryContext } from './registry-context.js';

/** Input of {@link setAlias}. */
export interface SetAliasInput {
  kind: SubjectKind;
  name: string;
  alias: string;
  version: number;
  /**
   * The version the alias must point to now (null: must not be set) for the move to happen. When
   * absent, the value read just before the move is used, so a concurrent change still fails the move.
   */
  expectedVersion?: number | null;
  actor?: string;
  reason?: string;
}

/** Input of {@link deleteAlias}. */
export interface DeleteAliasInput {
  kind: SubjectKind;
  name: string;
  alias: string;
  expectedVersion?: number | null;
  actor?: string;
  reason?: string;
}

/** The outcome of an alias move. */
export interface AliasMove {
  kind: SubjectKind;
  name: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  /** False when the alias already pointed where asked, so nothing was written. */
  changed: boolean;
}

function assertExpected(options: {
  kind: SubjectKind;
  name: string;
  alias: string;
  expected: number | null;
  current: number | null;
}) {
  if (options.expected !== options.current) throw aliasConflictError({ ...options, actual: options.current });
}

/**
 * Points an alias at a version, by compare-and-set, with an audit entry.
 * @throws LlmopsError `invalid_input` for a bad or protected alias, `not_found` for an unknown
 * prompt, model or version, `conflict` when the alias moved under us.
 */
export async function setAlias(context: RegistryContext, input: SetAliasInput): Promise<AliasMove> {
  assertSubjectName(input.name, input.kind);
  assertDirectlySettableAlias(input.alias, input.kind);
  const reason = checkReason(input.reason);
  if (input.kind === 'prompt') await requirePromptVersion(context.store, { name: input.name, version: input.version });
  else await requireModelVersion(context.store, { name: input.name, version: input.version });
  const info = await requireSubject(context.store, { kind: input.kind, name: input.name });
  const current = info.aliases[input.alias] ?? null;
  const expected = input.expectedVersion === undefined ? current : input.expectedVersion;
  assertExpected({ kind: input.kind, name: input.name, alias: input.alias, expected, current });
  const move = {
    kind: input.kind,
    name: input.name,
    alias: input.alias,
    fromVersion: current,
    toVersion: input.version,
  };
  if (current === input.version) return { ...move, changed: false };
  await context.store.moveAliases({
    kind: input.kind,
    name: input.name,
    changes: [{ alias: input.alias, expected, to: input.version }],
    audit: [
      {
        ...move,
        action: 'set',
        actor: input.actor ?? context.actor,
        reason,
        evidence: [],
        at: context.clock.now(),
      },
    ],
  });
  context.cache.clear();
  return { ...move, changed: true };
}

/**
 * Deletes an alias, by compare-and-set, with an audit entry.
 * @throws LlmopsError `invalid_input` for a bad or protected alias, `not_found` for an unknown prompt,
 * model or alias, `conflict` when the alias moved under us.
 */
export async function deleteAlias(context: RegistryContext, input: DeleteAliasInput): Promise<AliasMove> {
  assertSubjectName(input.name, input.kind);
  assertDirectlySettableAlias(input.alias, input.kind);
  const reason = checkReason(input.reason);
  const info = await requireSubject(context.store, { kind: input.kind, name: input.name });
  const current = info.aliases[input.alias] ?? null;
  if (current === null && input.expectedVersion === undefined) {
    throw new LlmopsError(
      'not_found',
      `alias "${input.alias}" of ${input.kind} "${input.name}" is not set; nothing to delete`,
    );
  }
  const expected = input.expectedVersion === undefined ? current : input.expectedVersion;
  assertExpected({ kind: input.kind, name: input.name, alias: input.alias, expected, current });
  const move = { kind: input.kind, name: input.name, alias: input.alias, fromVersion: current, toVersion: null };
  if (current === null) return { ...move, changed: false };
  await context.store.moveAliases({
    kind: input.kind,
    name: input.name,
    changes: [{ alias: input.alias, expected, to: null }],
    audit: [
      { ...move, action: 'delete', actor: input.actor ?? context.actor, reason, evidence: [], at: context.clock.now() },
    ],
  });
  context.cache.clear();
  return { ...move, changed: true };
}

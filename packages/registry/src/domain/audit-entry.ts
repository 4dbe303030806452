import { LlmopsError } from '@llmops/kernel';
import type { SubjectKind } from './registry-names.js';

/** What moved an alias. */
export type AuditAction = 'set' | 'delete' | 'promote' | 'force-promote' | 'rollback';

/** One alias change: who moved which alias of what, from which version to which, when and why. */
export interface AuditEntry {
  kind: SubjectKind;
  name: string;
  alias: string;
  /** The version the alias pointed to before, or null when it was not set. */
  fromVersion: number | null;
  /** The version it points to after, or null when it was deleted. */
  toVersion: number | null;
  action: AuditAction;
  actor: string;
  reason: string;
  /** Evaluation run ids the change was based on. */
  evidence: readonly string[];
  /** Milliseconds since the epoch. */
  at: number;
}

/** Longest reason kept with an alias change (it is an MLflow run tag on the MLflow store). */
export const maxReasonLength = 2000;

/**
 * Checks the reason of an alias change and returns it trimmed.
 * @throws LlmopsError `invalid_input` when it is longer than {@link maxReasonLength}.
 */
export function checkReason(reason: string | undefined): string {
  const trimmed = reason?.trim() ?? '';
  if (trimmed.length > maxReasonLength) {
    throw new LlmopsError(
      'invalid_input',
      `reason is ${trimmed.length} characters long; at most ${maxReasonLength} are kept in the audit trail`,
    );
  }
  return trimmed;
}

import { LlmopsError } from '@llmops/kernel';
import { checkReason } from '../domain/audit-entry.js';
import type { AuditEntry } from '../domain/audit-entry.js';
import type { EvaluationRecord } from '../domain/evaluation-record.js';
import { describeDatasets, evaluatePromotion, promotionRefusedError } from '../domain/promotion-decision.js';
import type { PromotionDecision } from '../domain/promotion-decision.js';
import type { PromotionPolicy } from '../domain/promotion-policy.js';
import {
  assertAliasName,
  assertSubjectName,
  championAlias,
  isPreviousAlias,
  previousAliasOf,
} from '../domain/registry-names.js';
import type { AliasChange } from '../ports.js';
import { requireModelVersion, requireSubject } from './lookups.js';
import type { RegistryContext } from './registry-context.js';

/** Input of {@link promoteModel}. */
export interface PromoteInput {
  name: string;
  version: number;
  /** The alias to move; `champion` by default. */
  alias?: string;
  /** The policy to judge the candidate by; required unless `force`. */
  policy?: PromotionPolicy;
  /** Moves the alias even when the policy refuses (or without a policy); needs a `reason`. */
  force?: boolean;
  reason?: string;
  actor?: string;
  /**
   * The evaluation runs a forced promotion without a policy rests on (a comparison's runs, say), kept as the audit
   * entry's evidence so that readers of the promotion can open them. With a policy, the runs the policy judged are
   * the evidence and these are not used.
   */
  evidence?: readonly string[];
}

/** The outcome of a promotion. */
export interface PromotionResult {
  name: string;
  version: number;
  alias: string;
  /** What the alias pointed to before (now kept as `previousAlias`), or null. */
  fromVersion: number | null;
  previousAlias: string;
  /** The policy's decision (also under `force`, when a policy was given), or null. */
  decision: PromotionDecision | null;
  forced: boolean;
  /** False when the alias already pointed to the version. */
  changed: boolean;
}

/** Input of {@link rollbackModel}. */
export interface RollbackInput {
  name: string;
  alias?: string;
  reason?: string;
  actor?: string;
}

/** The outcome of a rollback. */
export interface RollbackResult {
  name: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number;
}

function checkPromotionAlias(alias: string): string {
  assertAliasName(alias);
  if (isPreviousAlias(alias)) {
    throw new LlmopsError(
      'invalid_input',
      `alias "${alias}" is kept by promotion itself; promote to "${alias.slice('previous-'.length)}" instead`,
    );
  }
  return alias;
}

async function judge(
  context: RegistryContext,
  options: { name: string; version: number; current: number | null; policy: PromotionPolicy },
): Promise<{ decision: PromotionDecision; evaluations: EvaluationRecord[] }> {
  const { name, version, current, policy } = options;
  const latest = async (of: number): Promise<EvaluationRecord[]> => {
    const found = await Promise.all(
      policy.datasets.map((dataset) => context.evidence.latestEvaluation({ model: name, version: of, dataset })),
    );
    return found.filter((evaluation): evaluation is EvaluationRecord => evaluation !== undefined);
  };
  const evaluations = await latest(version);
  const champion =
    current === null
      ? undefined
      : {
          ref: `${name}/${current}`,
          evaluations: policy.notWorseThanChampion.length > 0 ? await latest(current) : [],
        };
  const decision = evaluatePromotion({ policy, candidate: { ref: `${name}/${version}`, evaluations }, champion });
  return { decision, evaluations };
}

/**
 * Promotes a model version to an alias (`champion` by default) under a promotion policy. The alias's
 * previous target is kept as `previous-<alias>`, so a rollback is one step. Both moves are one
 * compare-and-set: a concurrent promotion makes this one fail with `conflict` rather than be lost.
 * @throws LlmopsError `gate_failed` listing each failed criterion; `invalid_input` for a bad alias,
 * a missing policy or a force without reason; `not_found` for an unknown model or version; `conflict`.
 */
export async function promoteModel(context: RegistryContext, input: PromoteInput): Promise<PromotionResult> {
  assertSubjectName(input.name, 'model');
  const alias = checkPromotionAlias(input.alias ?? championAlias);
  const previousAlias = previousAliasOf(alias);
  const force = input.force ?? false;
  const reason = checkReason(input.reason);
  if (force && reason === '') {
    throw new LlmopsError(
      'invalid_input',
      'a forced promotion needs a reason (--reason TEXT); it is kept in the audit trail',
    );
  }
  if (!force && !input.policy) {
    throw new LlmopsError(
      'invalid_input',
      'no promotion policy given; pass one (confs/promotion-policy.yaml) or promote with --force --reason TEXT',
    );
  }
  await requireModelVersion(context.store, { name: input.name, version: input.version });
  const info = await requireSubject(context.store, { kind: 'model', name: input.name });
  const current = info.aliases[alias] ?? null;
  const base = { name: input.name, version: input.version, alias, fromVersion: current, previousAlias, forced: force };
  if (current === input.version) return { ...base, decision: null, changed: false };

  const judged = input.policy
    ? await judge(context, { name: input.name, version: input.version, current, policy: input.policy })
    : undefined;
  if (judged && !judged.decision.allowed && !force) throw promotionRefusedError(judged.decision, alias);

  const actor = input.actor ?? context.actor;
  const at = context.clock.now();
  const evidence = judged ? judged.evaluations.map((evaluation) => evaluation.runId) : [...new Set(input.evidence)];
  const defaultReason = judged
    ? `passed policy "${judged.decision.policy}" on ${describeDatasets(judged.decision.datasets)}`
    : '';
  const changes: AliasChange[] = [{ alias, expected: current, to: input.version }];
  const audit: AuditEntry[] = [
    {
      kind: 'model',
      name: input.name,
      alias,
      fromVersion: current,
      toVersion: input.version,
      action: force ? 'force-promote' : 'promote',
      actor,
      reason: reason || defaultReason,
      evidence,
      at,
    },
  ];
  if (current !== null) {
    const currentPrevious = info.aliases[previousAlias] ?? null;
    changes.push({ alias: previousAlias, expected: currentPrevious, to: current });
    audit.push({
      kind: 'model',
      name: input.name,
      alias: previousAlias,
      fromVersion: currentPrevious,
      toVersion: current,
      action: force ? 'force-promote' : 'promote',
      actor,
      reason: `keeps the ${alias} that version ${input.version} replaced`,
      evidence: [],
      at,
    });
  }
  await context.store.moveAliases({ kind: 'model', name: input.name, changes, audit });
  context.cache.clear();
  if (judged && judged.evaluations.length > 0) {
    const verdict = judged.decision.allowed ? 'passed' : 'failed';
    await context.store.attachEvidence({
      name: input.name,
      version: input.version,
      evidence: judged.evaluations.map(({ runId, dataset, metrics }) => ({
        runId,
        dataset,
        metrics,
        verdict,
        attachedAt: at,
      })),
    });
  }
  return { ...base, decision: judged?.decision ?? null, changed: true };
}

/**
 * Rolls an alias back to the version kept in `previous-<alias>` by the last promotion, and removes
 * `previous-<alias>` (so rolling back twice does not bring the replaced version back without a gate).
 * One compare-and-set, audited.
 * @throws LlmopsError `not_found` when there is no model or nothing to roll back to; `conflict`.
 */
export async function rollbackModel(context: RegistryContext, input: RollbackInput): Promise<RollbackResult> {
  assertSubjectName(input.name, 'model');
  const alias = checkPromotionAlias(input.alias ?? championAlias);
  const previousAlias = previousAliasOf(alias);
  const info = await requireSubject(context.store, { kind: 'model', name: input.name });
  const current = info.aliases[alias] ?? null;
  const previous = info.aliases[previousAlias];
  if (previous === undefined) {
    throw new LlmopsError(
      'not_found',
      `model "${input.name}" has no alias "${previousAlias}", so there is nothing to roll "${alias}" back to; a promotion sets it`,
    );
  }
  const actor = input.actor ?? context.actor;
  const at = context.clock.now();
  const reason = checkReason(input.reason) || `rolled back ${alias}`;
  await context.store.moveAliases({
    kind: 'model',
    name: input.name,
    changes: [
      { alias, expected: current, to: previous },
      { alias: previousAlias, expected: previous, to: null },
    ],
    audit: [
      {
        kind: 'model',
        name: input.name,
        alias,
        fromVersion: current,
        toVersion: previous,
        action: 'rollback',
        actor,
        reason,
        evidence: [],
        at,
      },
      {
        kind: 'model',
        name: input.name,
        alias: previousAlias,
        fromVersion: previous,
        toVersion: null,
        action: 'rollback',
        actor,
        reason,
        evidence: [],
        at,
      },
    ],
  });
  context.cache.clear();
  return { name: input.name, alias, fromVersion: current, toVersion: previous };
}

import { LlmopsError } from '@llmops/kernel';
import type { MlflowClient, Run } from '@llmops/mlflow-client';
import type { AuditAction, AuditEntry } from '../../domain/audit-entry.js';
import type { SubjectKind } from '../../domain/registry-names.js';
import { auditExperimentName, auditTags } from './mlflow-conventions.js';

/** Audit runs written but not yet committed: finished when the alias moves are done, failed otherwise. */
export interface PendingAudit {
  runIds: string[];
}

let sequenceCounter = 0;

/** A key that orders entries written in this process at the same `at` (wall clock, then a counter). */
function nextSequence(): string {
  sequenceCounter = (sequenceCounter + 1) % 1_000_000;
  return `${String(Date.now()).padStart(15, '0')}-${String(sequenceCounter).padStart(6, '0')}`;
}

function versionText(version: number | null): string {
  return version === null ? '-' : String(version);
}

function toEntry(run: Run): { entry: AuditEntry; sequence: string } {
  const tags = run.data.tags;
  const version = (text: string | undefined) => (text === undefined || text === '-' ? null : Number(text));
  let evidence: string[] = [];
  try {
    evidence = JSON.parse(tags[auditTags.evidence] ?? '[]') as string[];
  } catch {
    evidence = [];
  }
  const entry: AuditEntry = {
    kind: tags[auditTags.kind] === 'prompt' ? 'prompt' : 'model',
    name: tags[auditTags.name] ?? '',
    alias: tags[auditTags.alias] ?? '',
    fromVersion: version(tags[auditTags.from]),
    toVersion: version(tags[auditTags.to]),
    action: (tags[auditTags.action] ?? 'set') as AuditAction,
    actor: tags[auditTags.actor] ?? run.info.userId,
    reason: tags[auditTags.reason] ?? '',
    evidence,
    at: Number(tags[auditTags.at] ?? run.info.startTime),
  };
  return { entry, sequence: tags[auditTags.sequence] ?? '' };
}

/**
 * The audit trail on MLflow: one run per alias change in the experiment `llmops-registry-audit`,
 * tagged with what changed, so MLflow users find it in the UI and with `mlflow.search_runs`. Runs are
 * written before the alias moves (status RUNNING) and finished after them, so a change that failed
 * half-way is marked FAILED and never listed.
 */
export class MlflowAuditLog {
  private experimentId: string | undefined;

  constructor(private readonly client: MlflowClient) {}

  /** Writes the entries as RUNNING runs, to be committed or abandoned. */
  async begin(entries: readonly AuditEntry[]): Promise<PendingAudit> {
    if (entries.length === 0) return { runIds: [] };
    const experimentId = await this.experiment();
    const runIds: string[] = [];
    for (const entry of entries) {
      const run = await this.client.runs.create({
        experimentId,
        runName: `${entry.kind} ${entry.name}: ${entry.alias} ${versionText(entry.fromVersion)} -> ${versionText(entry.toVersion)}`,
        startTime: entry.at,
        tags: {
          [auditTags.kind]: entry.kind,
          [auditTags.name]: entry.name,
          [auditTags.alias]: entry.alias,
          [auditTags.from]: versionText(entry.fromVersion),
          [auditTags.to]: versionText(entry.toVersion),
          [auditTags.action]: entry.action,
          [auditTags.actor]: entry.actor,
          [auditTags.reason]: entry.reason,
          [auditTags.evidence]: JSON.stringify(entry.evidence),
          [auditTags.at]: String(entry.at),
          [auditTags.sequence]: nextSequence(),
        },
      });
      runIds.push(run.info.runId);
    }
    return { runIds };
  }

  /** Marks the entries done: they are part of the trail from now on. */
  async commit(pending: PendingAudit, at: number): Promise<void> {
    for (const runId of pending.runIds) await this.client.runs.end({ runId, status: 'FINISHED', endTime: at });
  }

  /** Marks the entries failed (best effort): the change they describe did not happen (completely). */
  async abandon(pending: PendingAudit): Promise<void> {
    for (const runId of pending.runIds) await this.client.runs.end({ runId, status: 'FAILED' }).catch(() => undefined);
  }

  /** The finished entries of a prompt or model, oldest first. */
  async list(kind: SubjectKind, name: string): Promise<AuditEntry[]> {
    let experimentId: string;
    try {
      experimentId = (await this.client.experiments.getByName(auditExperimentName)).experimentId;
    } catch (error) {
      if (LlmopsError.isInstance(error) && error.code === 'not_found') return [];
      throw error;
    }
    const entries: Array<{ entry: AuditEntry; sequence: string }> = [];
    const runs = this.client.runs.search({
      experimentIds: [experimentId],
      filter: `tags.\`${auditTags.kind}\` = '${kind}' and tags.\`${auditTags.name}\` = '${name}' and attributes.status = 'FINISHED'`,
      orderBy: ['attributes.start_time ASC'],
      pageSize: 1000,
    });
    for await (const run of runs) entries.push(toEntry(run));
    entries.sort(
      (left, right) =>
        left.entry.at - right.entry.at ||
        (left.sequence < right.sequence ? -1 : left.sequence > right.sequence ? 1 : 0),
    );
    return entries.map((item) => item.entry);
  }

  private async experiment(): Promise<string> {
    this.experimentId ??= await this.client.experiments.getOrCreate({ name: auditExperimentName });
    return this.experimentId;
  }
}

import type { EvaluationRunRecord } from './evaluation-run.js';

/** How often a running evaluation tells its store it is alive, unless configured: every 10 s. */
export const defaultHeartbeatIntervalMs = 10_000;

/** A run is abandoned when this many of its heartbeat intervals passed without a heartbeat. */
export const missedHeartbeatsBeforeAbandoned = 3;

/**
 * Whether a `running` run's process is gone: its last heartbeat (its start, before the first) is older
 * than {@link missedHeartbeatsBeforeAbandoned} of its own heartbeat intervals. Runs of other statuses are
 * never stale. The clocks compared are the writer's and the reader's: across machines, skew counts.
 */
export function isRunStale(
  run: Pick<EvaluationRunRecord, 'status' | 'startedAt' | 'heartbeatAt' | 'heartbeatIntervalMs'>,
  now: number,
): boolean {
  if (run.status !== 'running') return false;
  const interval = run.heartbeatIntervalMs ?? defaultHeartbeatIntervalMs;
  const last = run.heartbeatAt ?? run.startedAt;
  return now - last > missedHeartbeatsBeforeAbandoned * interval;
}

/** Why a run was marked abandoned, for its record's `error`. */
export function abandonedReason(run: Pick<EvaluationRunRecord, 'startedAt' | 'heartbeatAt'>): string {
  const last = new Date(run.heartbeatAt ?? run.startedAt).toISOString();
  return `the process running this evaluation stopped without finishing it (killed or crashed): no heartbeat since ${last}`;
}

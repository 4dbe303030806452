import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LlmopsError } from '@llmops/kernel';
import { runVerdict } from '@llmops/evaluation';
import type { RunTracker } from '@llmops/evaluation';
import { isPreviousAlias } from '@llmops/registry';
import type { AuditEntry, Registry } from '@llmops/registry';
import { parseQuery } from './request-parsing.js';

/** The query of `GET /api/v1/models/:name/promotions`. */
export const promotionListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** One evaluation run a promotion was based on, as the console shows it (`null`s when the run is gone). */
async function evidenceOf(tracker: RunTracker, runId: string) {
  try {
    const record = await tracker.get(runId);
    const metrics: Record<string, number | null> = {};
    for (const [name, aggregate] of Object.entries(record.summary.aggregates)) metrics[name] = aggregate?.mean ?? null;
    return {
      run_id: runId,
      run_name: record.name,
      // The version evaluated (`support-rag/2`), also when the run named it by an alias (`support-rag@challenger`).
      target:
        record.target.modelName && record.target.modelVersion
          ? `${record.target.modelName}/${record.target.modelVersion}`
          : record.target.name,
      dataset: record.dataset.name,
      verdict: runVerdict(record),
      metrics,
    };
  } catch (error) {
    if (LlmopsError.isInstance(error) && error.code === 'not_found')
      return { run_id: runId, run_name: null, target: null, dataset: null, verdict: null, metrics: {} };
    throw error;
  }
}

/**
 * Promotions and rollbacks (forced ones included) among a model's alias changes; the move of `previous-<alias>` that
 * each of them also writes is left out (the entry of the alias itself says it all).
 */
function isPromotion(entry: AuditEntry): boolean {
  const moves = entry.action === 'promote' || entry.action === 'force-promote' || entry.action === 'rollback';
  return moves && !isPreviousAlias(entry.alias);
}

/**
 * `GET /api/v1/models/:name/promotions`: the model's promotions and rollbacks from its audit trail, newest first, each
 * with the evaluation runs it was based on (dataset, gate verdict, metric means) read from the evaluation store.
 */
export function promotionRoutes(sources: {
  registry: Registry;
  tracker: RunTracker;
}): (server: FastifyInstance) => void {
  return (server) => {
    server.get<{ Params: { name: string } }>('/api/v1/models/:name/promotions', async (request) => {
      const query = parseQuery(promotionListQuerySchema, request);
      // The trail is in the order of the changes: reversed, then sorted by time (stable), so ties stay newest first.
      const entries = (await sources.registry.audit('model', request.params.name))
        .filter(isPromotion)
        .reverse()
        .sort((left, right) => right.at - left.at);
      const page = entries.slice(query.offset, query.offset + query.limit);
      const data = await Promise.all(
        page.map(async (entry) => ({
          at: new Date(entry.at).toISOString(),
          alias: entry.alias,
          from_version: entry.fromVersion,
          to_version: entry.toVersion,
          actor: entry.actor,
          reason: entry.reason,
          kind: entry.action === 'rollback' ? 'rollback' : 'promote',
          forced: entry.action === 'force-promote',
          evidence: await Promise.all(entry.evidence.map((runId) => evidenceOf(sources.tracker, runId))),
        })),
      );
      return { object: 'list', data, total: entries.length };
    });
  };
}

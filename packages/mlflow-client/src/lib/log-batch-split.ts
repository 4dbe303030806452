import { mlflowLimits } from './input-validation.js';

/** A metric as sent in a log-batch request. */
export interface WireMetric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

/** A param or tag as sent in a log-batch request. */
export interface WireKeyValue {
  key: string;
  value: string;
}

/** The entities of one log-batch request. */
export interface LogBatchChunk {
  metrics: WireMetric[];
  params: WireKeyValue[];
  tags: WireKeyValue[];
}

/** The per-request limits a split honours; MLflow's by default. */
export interface LogBatchLimits {
  metrics: number;
  params: number;
  tags: number;
  /** Metrics, params and tags together. */
  entities: number;
  /** Bytes of the serialised entities (the run id and braces come on top). */
  bytes: number;
}

/**
 * MLflow's log-batch limits: 1000 metrics, 100 params, 100 tags, 1000 entities in all, and a
 * request body of at most 1 MB (less 4 KB kept for the envelope).
 */
export const mlflowLogBatchLimits: LogBatchLimits = {
  metrics: mlflowLimits.metricsPerBatch,
  params: mlflowLimits.paramsPerBatch,
  tags: mlflowLimits.tagsPerBatch,
  entities: mlflowLimits.entitiesPerBatch,
  bytes: mlflowLimits.batchRequestBytes - 4096,
};

type Kind = keyof LogBatchChunk;

/**
 * Splits metrics, params and tags into as few log-batch requests as MLflow's limits allow:
 * each request takes as many of the remaining params as fit, then tags, then fills up with
 * metrics, so the count is the least of ceil(params / 100), ceil(tags / 100),
 * ceil(metrics / 1000) and ceil(all / 1000) unless long values hit the byte limit first.
 * Every kind keeps its order, so the history of one metric key arrives in the order given.
 */
export function splitLogBatch(items: LogBatchChunk, limits: LogBatchLimits = mlflowLogBatchLimits): LogBatchChunk[] {
  const chunks: LogBatchChunk[] = [];
  const next: Record<Kind, number> = { params: 0, tags: 0, metrics: 0 };
  const remaining = () =>
    next.params < items.params.length || next.tags < items.tags.length || next.metrics < items.metrics.length;
  while (remaining()) {
    const chunk: LogBatchChunk = { metrics: [], params: [], tags: [] };
    let entities = 0;
    let bytes = 0;
    const fill = (kind: Kind) => {
      const source = items[kind] as (WireMetric | WireKeyValue)[];
      while (next[kind] < source.length && chunk[kind].length < limits[kind] && entities < limits.entities) {
        const entity = source[next[kind]] as WireMetric | WireKeyValue;
        // Bytes of the entity in its JSON array, with the separating comma.
        const size = Buffer.byteLength(JSON.stringify(entity), 'utf8') + 1;
        // The first entity always goes in, so that every request makes progress.
        if (entities > 0 && bytes + size > limits.bytes) return;
        (chunk[kind] as (WireMetric | WireKeyValue)[]).push(entity);
        next[kind] += 1;
        entities += 1;
        bytes += size;
      }
    };
    fill('params');
    fill('tags');
    fill('metrics');
    chunks.push(chunk);
  }
  return chunks;
}

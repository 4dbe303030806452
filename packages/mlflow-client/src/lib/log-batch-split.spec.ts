import { mlflowLogBatchLimits, splitLogBatch } from './log-batch-split.js';
import type { LogBatchChunk, WireKeyValue, WireMetric } from './log-batch-split.js';

function metrics(count: number): WireMetric[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `m${index % 7}`,
    value: index,
    timestamp: 1700000000000 + index,
    step: index,
  }));
}

function keyValues(count: number, options: { prefix: string; valueLength?: number }): WireKeyValue[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `${options.prefix}${index}`,
    value: 'v'.repeat(options.valueLength ?? 3),
  }));
}

function shape(chunks: LogBatchChunk[]) {
  return chunks.map((chunk) => [chunk.params.length, chunk.tags.length, chunk.metrics.length]);
}

describe("splitting log-batch into requests within MLflow's limits", () => {
  it("uses MLflow's limits: 1000 metrics, 100 params, 100 tags, 1000 in all, under 1 MB", () => {
    expect(mlflowLogBatchLimits).toEqual({
      metrics: 1000,
      params: 100,
      tags: 100,
      entities: 1000,
      bytes: 1_000_000 - 4096,
    });
  });

  it('sends nothing for nothing', () => {
    expect(splitLogBatch({ metrics: [], params: [], tags: [] })).toEqual([]);
  });

  it('sends 10,000 metrics in 10 requests of 1000', () => {
    expect(shape(splitLogBatch({ metrics: metrics(10_000), params: [], tags: [] }))).toEqual(
      Array.from({ length: 10 }, () => [0, 0, 1000]),
    );
  });

  it('fills each request with params, then tags, then metrics up to 1000 entities: the fewest requests', () => {
    const chunks = splitLogBatch({
      metrics: metrics(2500),
      params: keyValues(150, { prefix: 'p' }),
      tags: keyValues(120, { prefix: 't' }),
    });
    // ceil(150 / 100) = 2 for params, ceil(2770 / 1000) = 3 in all: 3 requests.
    expect(shape(chunks)).toEqual([
      [100, 100, 800],
      [50, 20, 930],
      [0, 0, 770],
    ]);
  });

  it('needs as many requests as params need when params dominate', () => {
    expect(shape(splitLogBatch({ metrics: metrics(10), params: keyValues(350, { prefix: 'p' }), tags: [] }))).toEqual([
      [100, 0, 10],
      [100, 0, 0],
      [100, 0, 0],
      [50, 0, 0],
    ]);
  });

  it('needs a second request when 1000 metrics come with one param (1000 entities in all)', () => {
    expect(shape(splitLogBatch({ metrics: metrics(1000), params: keyValues(1, { prefix: 'p' }), tags: [] }))).toEqual([
      [1, 0, 999],
      [0, 0, 1],
    ]);
  });

  it('keeps every request body under 1 MB when values are long', () => {
    const params = keyValues(100, { prefix: 'p', valueLength: 6000 });
    const tags = keyValues(100, { prefix: 't', valueLength: 8000 });
    const chunks = splitLogBatch({ metrics: metrics(10), params, tags });
    expect(chunks.length).toBe(2);
    for (const chunk of chunks) {
      const body = JSON.stringify({ run_id: 'a'.repeat(32), ...chunk });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1_000_000);
    }
    expect(chunks.flatMap((chunk) => chunk.params)).toEqual(params);
    expect(chunks.flatMap((chunk) => chunk.tags)).toEqual(tags);
  });

  it('counts bytes, not characters, for non-ASCII values', () => {
    const tags = keyValues(100, { prefix: 't', valueLength: 0 }).map((tag) => ({ ...tag, value: 'é'.repeat(8000) }));
    const chunks = splitLogBatch({ metrics: [], params: [], tags: tags.slice(0, 70) });
    // 70 tags of 16 KB each need two requests although 70 <= 100.
    expect(shape(chunks)).toEqual([
      [0, 62, 0],
      [0, 8, 0],
    ]);
  });

  it('keeps the order of metrics across requests', () => {
    const all = metrics(2345);
    expect(splitLogBatch({ metrics: all, params: [], tags: [] }).flatMap((chunk) => chunk.metrics)).toEqual(all);
  });

  it('honours smaller limits given by the caller', () => {
    const chunks = splitLogBatch(
      { metrics: metrics(5), params: keyValues(3, { prefix: 'p' }), tags: [] },
      { metrics: 2, params: 2, tags: 2, entities: 3, bytes: 1_000_000 },
    );
    expect(shape(chunks)).toEqual([
      [2, 0, 1],
      [1, 0, 2],
      [0, 0, 2],
    ]);
  });
});

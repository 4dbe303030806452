import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RequestMetrics } from './request-metrics.js';

/** The `## Prometheus metrics` section of wiki/Monitoring.md: the table an operator builds dashboards and alerts from. */
function documentedSection(): string {
  const page = readFileSync(join(import.meta.dirname, '../../../../../wiki/Monitoring.md'), 'utf8');
  const start = page.indexOf('\n## Prometheus metrics\n');
  const end = page.indexOf('\n## ', start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

describe('the metrics of /metrics and wiki/Monitoring.md', () => {
  // A scrape with every optional source wired, as `llmops serve` wires them (queues, cache, Redis fallbacks, breakers).
  async function scrapedFamilies(): Promise<string[]> {
    const stats = { queued: 0, written: 0, dropped: 0, abandoned: 0 };
    const metrics = new RequestMetrics({
      processMetrics: false,
      queueStats: () => stats,
      traceQueues: () => ({ store: stats, collector: stats }),
      cacheErrors: () => 0,
      backendFallbacks: () => ({ response_cache: 0, limit_counters: 0 }),
      circuitBreakers: () => [{ upstream: 'openai/gpt-4o-mini', state: 'closed', openings: 0 }],
    });
    const text = await metrics.scrape();
    return [...text.matchAll(/^# TYPE (llmops_\w+) /gm)].map((match) => match[1] as string);
  }

  it('documents every llmops_* family the server exports', async () => {
    // The operator's walkthrough found llmops_backend_fallback_calls_total, which the Redis runbook tells operators to
    // watch, exported but missing from the table.
    const section = documentedSection();
    const undocumented = (await scrapedFamilies()).filter((name) => !section.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });

  it('documents no llmops_* family the server does not export', async () => {
    const exported = new Set(await scrapedFamilies());
    const documented = [...documentedSection().matchAll(/`(llmops_\w+)`/g)].map((match) => match[1] as string);
    // The table names a histogram by its family; a query in the text may name its `_bucket` series.
    const unknown = documented.filter((name) => !exported.has(name) && !exported.has(name.replace(/_bucket$/, '')));
    expect([...new Set(unknown)]).toEqual([]);
  });
});

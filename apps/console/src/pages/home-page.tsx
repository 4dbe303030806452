import { useMemo } from 'preact/hooks';
import type { Options } from 'uplot';
import { UplotChart } from '../components/uplot-chart.js';
import { Badge, Loaded } from '../components/status.js';
import { formatCost, formatTime } from '../lib/format.js';
import { href } from '../router.js';
import { useApi } from '../use-api.js';

/** What the home page reads of `GET /api/v1/dashboard` (see packages/composition's dashboard-data.ts). */
interface Dashboard {
  generatedAt: number;
  models: Array<{ name: string; latestVersion: number; aliases: Record<string, number> }>;
  evaluations: Array<{
    id: string;
    name: string;
    target: string;
    dataset: string;
    gate: { passed: boolean } | null;
    startedAt: number;
  }>;
  traffic: {
    byVersion: Array<{
      modelName: string;
      modelVersion: number | null;
      requests: number;
      errorRate: number;
      latencyMs: { p50: number; p95: number };
      inputTokens: number;
      outputTokens: number;
      costUsd: number | null;
      refusalRate: number;
    }>;
    series: Array<{
      at: number;
      requests: number;
      latencyP50Ms: number | null;
      latencyP95Ms: number | null;
      inputTokens: number;
      outputTokens: number;
      costUsd: number | null;
      cacheHits: number;
      cacheLookups: number;
    }>;
  };
  alerts: Array<{ id: string; at: number; rule: string; severity: string; model: string | null; status: string }>;
  drift: { verdict: string; features: Array<{ name: string; verdict: string; method: string | null }> } | null;
  driftByModel: Array<{ verdict: string; model?: { name: string } }>;
}

interface SloReport {
  slos: Array<{ name: string; objective: string; state: string }>;
}

const refreshMs = 15_000;

type Series = Dashboard['traffic']['series'];

function seriesChart(
  label: string,
  series: Series,
  lines: Array<{ label: string; value: (bucket: Series[number]) => number | null; color: string }>,
) {
  const data = [series.map((bucket) => bucket.at / 1000), ...lines.map((line) => series.map(line.value))] as [
    number[],
    ...(number | null)[][],
  ];
  const options: Omit<Options, 'width'> = {
    height: 180,
    series: [{}, ...lines.map((line) => ({ label: line.label, stroke: line.color, width: 2, spanGaps: false }))],
    axes: [{}, { size: 60 }],
  };
  return { label, data, options };
}

function TrafficCharts({ series }: { series: Series }) {
  const charts = useMemo(
    () => [
      seriesChart('latency per minute (ms)', series, [
        { label: 'p50 ms', value: (bucket) => bucket.latencyP50Ms, color: '#1a4f8a' },
        { label: 'p95 ms', value: (bucket) => bucket.latencyP95Ms, color: '#b03a2e' },
      ]),
      seriesChart('tokens per minute', series, [
        { label: 'input tokens', value: (bucket) => bucket.inputTokens, color: '#1a4f8a' },
        { label: 'output tokens', value: (bucket) => bucket.outputTokens, color: '#6b3fa0' },
      ]),
      seriesChart('cost per minute (USD)', series, [
        { label: 'cost', value: (bucket) => bucket.costUsd, color: '#1e6b3a' },
      ]),
      seriesChart('cache hit ratio per minute', series, [
        {
          label: 'cache hit ratio',
          value: (bucket) => (bucket.cacheLookups > 0 ? bucket.cacheHits / bucket.cacheLookups : null),
          color: '#8a5a00',
        },
      ]),
    ],
    [series],
  );
  return (
    <div class="charts">
      {charts.map((chart) => (
        <figure key={chart.label}>
          <UplotChart label={chart.label} options={chart.options} data={chart.data} />
          <figcaption>{chart.label}</figcaption>
        </figure>
      ))}
    </div>
  );
}

/** Live monitoring: traffic charts, per-version summary, SLOs, drift, alerts, models and latest runs (refreshed). */
export function HomePage() {
  const dashboard = useApi<Dashboard>('/api/v1/dashboard?since=1h', { refreshMs });
  const slo = useApi<SloReport>('/api/v1/monitoring/slo', { refreshMs });
  return (
    <section>
      <h1>Live monitoring</h1>
      <Loaded read={dashboard} what="the monitoring data">
        {(data) => {
          const totals = data.traffic.series.reduce(
            (sum, bucket) => ({
              requests: sum.requests + bucket.requests,
              hits: sum.hits + bucket.cacheHits,
              lookups: sum.lookups + bucket.cacheLookups,
              cost: sum.cost + (bucket.costUsd ?? 0),
            }),
            { requests: 0, hits: 0, lookups: 0, cost: 0 },
          );
          return (
            <>
              <p class="hint">
                Last hour, refreshed every {refreshMs / 1000} s; updated {formatTime(data.generatedAt)} UTC.
              </p>
              <dl class="tiles">
                <div>
                  <dt>Requests</dt>
                  <dd>{totals.requests}</dd>
                </div>
                <div>
                  <dt>Cache hit ratio</dt>
                  <dd>{totals.lookups > 0 ? `${((totals.hits / totals.lookups) * 100).toFixed(1)}%` : '–'}</dd>
                </div>
                <div>
                  <dt>Cost</dt>
                  <dd>{formatCost(totals.cost)}</dd>
                </div>
                <div>
                  <dt>Drift</dt>
                  <dd>
                    <Badge value={data.drift?.verdict ?? 'no traffic'} />
                  </dd>
                </div>
                <div>
                  <dt>Alerts</dt>
                  <dd>{data.alerts.length}</dd>
                </div>
              </dl>
              <TrafficCharts series={data.traffic.series} />
              <h2>Per model version</h2>
              <div class="table-scroll" tabIndex={0}>
                <table>
                  <caption class="visually-hidden">Traffic per model version</caption>
                  <thead>
                    <tr>
                      <th scope="col">Model</th>
                      <th scope="col">Requests</th>
                      <th scope="col">Error rate</th>
                      <th scope="col">p50 / p95 ms</th>
                      <th scope="col">Tokens in / out</th>
                      <th scope="col">Cost</th>
                      <th scope="col">Refusal rate</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.traffic.byVersion.map((row) => (
                      <tr key={`${row.modelName}/${row.modelVersion}`}>
                        <th scope="row">
                          {row.modelName}/{row.modelVersion ?? '?'}
                        </th>
                        <td class="number">{row.requests}</td>
                        <td class="number">{(row.errorRate * 100).toFixed(1)}%</td>
                        <td class="number">
                          {Math.round(row.latencyMs.p50)} / {Math.round(row.latencyMs.p95)}
                        </td>
                        <td class="number">
                          {row.inputTokens} / {row.outputTokens}
                        </td>
                        <td class="number">{formatCost(row.costUsd)}</td>
                        <td class="number">{(row.refusalRate * 100).toFixed(1)}%</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {data.traffic.byVersion.length === 0 && <p>No request served in the last hour.</p>}
              <h2>Service level objectives</h2>
              {slo.error ? (
                <p>No objectives: {slo.error.message}</p>
              ) : (
                <ul class="slos">
                  {(slo.data?.slos ?? []).map((objective) => (
                    <li key={objective.name}>
                      <Badge value={objective.state} /> {objective.name}: {objective.objective}
                    </li>
                  ))}
                </ul>
              )}
              <h2>Drift by model</h2>
              {data.driftByModel.length === 0 ? (
                <p>Not enough traffic to compare windows.</p>
              ) : (
                <ul>
                  {data.driftByModel.map((report, index) => (
                    <li key={report.model?.name ?? index}>
                      {report.model?.name ?? 'all'}: <Badge value={report.verdict} />
                    </li>
                  ))}
                </ul>
              )}
              <h2>Alerts</h2>
              {data.alerts.length === 0 ? (
                <p>No alert in the window.</p>
              ) : (
                <ul>
                  {data.alerts.map((alert) => (
                    <li key={alert.id}>
                      <Badge value={alert.severity} /> {alert.rule} {alert.model ? `on ${alert.model}` : ''} at{' '}
                      {formatTime(alert.at)} ({alert.status})
                    </li>
                  ))}
                </ul>
              )}
              <h2>Models</h2>
              <ul>
                {data.models.map((model) => (
                  <li key={model.name}>
                    <a href={href(`/registry/models/${encodeURIComponent(model.name)}`)}>{model.name}</a>: latest{' '}
                    {model.latestVersion}
                    {Object.entries(model.aliases).map(([alias, version]) => `, ${alias} → ${version}`)}
                  </li>
                ))}
              </ul>
              <h2>Latest evaluation runs</h2>
              <ul>
                {data.evaluations.slice(0, 8).map((run) => (
                  <li key={run.id}>
                    <a href={href(`/runs/${encodeURIComponent(run.id)}`)}>{run.name}</a> {run.target} on {run.dataset}{' '}
                    <Badge value={run.gate ? run.gate.passed : 'no gate'} />
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

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
  alerts: Alert[];
  drift: DriftReport | null;
  driftByModel: DriftReport[];
}

/** A drift report of the last hour's traffic against the hour before (`EventDriftReport`). */
interface DriftReport {
  verdict: string;
  features: Array<{ name: string; verdict: string; method: string | null; reason?: string }>;
  reference: { events?: number };
  current: { events: number };
  model?: { name: string };
}

/** A fired alert as the dashboard gives it (`DashboardAlert`): its signal and what each action did. */
interface Alert {
  id: string;
  at: number;
  rule: string;
  severity: string;
  model: string | null;
  status: string;
  dryRun: boolean;
  signal: {
    source: string;
    name: string;
    value: number | null;
    threshold: number | null;
    details: Record<string, unknown>;
  };
  actions: Array<{
    action: string;
    status: string;
    reason: string;
    runs: Array<{ runId: string; dataset: string; version: number | null; gatePassed: boolean | null }>;
    moved: { alias: string; fromVersion: number | null; toVersion: number } | null;
  }>;
}

/** One service level objective of `GET /api/v1/monitoring/slo`, with its value in each window. */
interface Slo {
  name: string;
  kind: string;
  objective: string;
  badEvent: string;
  state: string;
  windows: Array<{
    window: string;
    events: number;
    badEvents: number | null;
    value: number | null;
    state: string;
    reason?: string;
  }>;
}

interface SloReport {
  slos: Slo[];
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

/** A share as a percentage with one decimal (`93.8%`). */
function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** An SLO's value in one window in words: `93.8% (61 of 65 requests)`, `p95 36 ms (0 of 65 requests)`, or why none. */
function sloWindowText(objective: Slo, window: Slo['windows'][number]): string {
  if (window.value === null) return window.reason ?? 'no data';
  const value =
    objective.kind === 'latency'
      ? `p95 ${Math.round(window.value)} ms`
      : objective.kind === 'online_metric'
        ? `mean ${window.value.toFixed(3)}`
        : percent(window.value);
  const counted = window.badEvents === null ? '' : ` (${window.badEvents} of ${window.events} counted against it)`;
  return `${value}${counted}${window.reason ? `, ${window.reason}` : ''}`;
}

/** Why a drift verdict is what it is, for a reader: the traffic compared and, when too little, what is needed. */
function driftText(report: DriftReport): string {
  const requests = (count: number) => `${count} request${count === 1 ? '' : 's'}`;
  const compared = `${requests(report.current.events)} in the last hour against ${report.reference.events ?? 0} the hour before`;
  if (report.verdict !== 'insufficient') {
    const drifted = report.features.filter((feature) => feature.verdict === 'drift').map((feature) => feature.name);
    return drifted.length > 0 ? `${compared}; drifted: ${drifted.join(', ')}` : compared;
  }
  const why = report.features.find((feature) => feature.verdict === 'insufficient')?.reason;
  return `not enough traffic to compare: ${compared}${why ? ` (${why})` : ''}`;
}

/** The drifted features a drift signal names (`details.driftedFeatures`), if any. */
function driftedFeatures(alert: Alert): string[] {
  const drifted = alert.signal.details['driftedFeatures'];
  return Array.isArray(drifted)
    ? drifted
        .map((feature) => (feature as { name?: unknown }).name)
        .filter((name): name is string => typeof name === 'string')
    : [];
}

/** Why an alert fired, in words: the drifted features of a drift signal, an SLO's value against its threshold. */
function signalText(alert: Alert): string {
  const { signal } = alert;
  const drifted = driftedFeatures(alert);
  const tested = signal.details['testedFeatures'];
  if (signal.source === 'drift' && drifted.length > 0)
    return `${drifted.length} of ${typeof tested === 'number' ? tested : '?'} tested features drifted (${drifted.join(', ')}); the rule fires at a share of ${signal.threshold ?? '–'}`;
  return `${signal.name} ${signal.value ?? '–'} against its threshold ${signal.threshold ?? '–'}`;
}

/** One fired alert: why it fired and what each of its actions did, with links to the runs and the model. */
function AlertItem({ alert }: { alert: Alert }) {
  return (
    <li>
      <Badge value={alert.severity} /> <strong>{alert.rule}</strong>
      {alert.model ? (
        <>
          {' '}
          on <a href={href(`/registry/models/${encodeURIComponent(alert.model)}`)}>{alert.model}</a>
        </>
      ) : (
        ''
      )}{' '}
      at {formatTime(alert.at)}: {signalText(alert)}
      {alert.dryRun ? ' (dry run: decided, nothing done)' : ''}
      {alert.actions.length === 0 ? (
        <span>; no action (notified only)</span>
      ) : (
        <ul>
          {alert.actions.map((action, index) => (
            <li key={index}>
              {action.action} <Badge value={action.status} />
              {action.moved && (
                <>
                  {' '}
                  moved {action.moved.alias} from version {action.moved.fromVersion ?? 'none'} to version{' '}
                  {action.moved.toVersion} (audit log on the model's page)
                </>
              )}
              {action.runs.length > 0 && (
                <>
                  {' '}
                  {action.runs.map((run, position) => (
                    <span key={run.runId}>
                      {position > 0 ? ', ' : ''}
                      <a href={href(`/runs/${encodeURIComponent(run.runId)}`)}>
                        version {run.version ?? '?'} on {run.dataset}
                      </a>{' '}
                      <Badge value={run.gatePassed ?? 'no gate'} />
                    </span>
                  ))}
                </>
              )}
              {!action.moved && action.runs.length === 0 && action.reason ? `: ${action.reason}` : ''}
            </li>
          ))}
        </ul>
      )}
    </li>
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
                  <dt>Drift (vs the hour before)</dt>
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
                      <ul class="slo-windows">
                        {objective.windows.map((window) => (
                          <li key={window.window}>
                            last {window.window}: {sloWindowText(objective, window)}
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              )}
              <h2>Drift by model</h2>
              <p class="hint">
                The last hour's requests against the hour before. The drift alerts (
                <code>llmops run confs/monitor.yaml</code>) compare with an evaluation dataset instead: what they found
                and did is under Alerts.
              </p>
              {data.driftByModel.length === 0 ? (
                <p>Not enough traffic to compare windows.</p>
              ) : (
                <ul class="drift">
                  {data.driftByModel.map((report, index) => (
                    <li key={report.model?.name ?? index}>
                      {report.model?.name ?? 'all'}: <Badge value={report.verdict} /> {driftText(report)}
                    </li>
                  ))}
                </ul>
              )}
              <h2>Alerts</h2>
              {data.alerts.length === 0 ? (
                <p>No alert in the window.</p>
              ) : (
                <ul class="alerts">
                  {data.alerts.map((alert) => (
                    <AlertItem key={alert.id} alert={alert} />
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

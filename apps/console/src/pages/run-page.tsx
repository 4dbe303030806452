import { useEffect, useState } from 'preact/hooks';
import { query } from '../api/api-client.js';
import type { ExampleRow, Histograms, ListPage, RunDetail } from '../api/api-types.js';
import { HistogramChart } from '../components/histogram-chart.js';
import { Pager } from '../components/pager.js';
import { Badge, Loaded } from '../components/status.js';
import { formatNumber, formatTime, truncate } from '../lib/format.js';
import { href, navigate, setParams } from '../router.js';
import type { Location } from '../router.js';
import { useApi } from '../use-api.js';
import type { ApiRead } from '../use-api.js';

const pageSize = 25;
/** The metrics shown as columns when the run has no gate. */
const keyMetrics = ['contextual_relevancy', 'faithfulness', 'answer_correctness', 'hit_rate_at_5', 'answer_rate'];

function GateTable({ run }: { run: RunDetail }) {
  const gates = run.gates ?? [];
  if (gates.length === 0) return <p>This run had no gate.</p>;
  return (
    <div class="table-scroll" tabIndex={0}>
      <table class="gates">
        <caption>Gate: {run.verdict ?? (gates.every((gate) => gate.passed) ? 'passed' : 'failed')}</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Criterion</th>
            <th scope="col">Actual</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {gates.map((gate) => (
            <tr key={`${gate.metric}.${gate.aggregate ?? ''}`} class={gate.passed ? '' : 'failed-row'}>
              <th scope="row">
                {gate.metric}
                {gate.aggregate ? `.${gate.aggregate}` : ''}
              </th>
              <td>
                {gate.operator} {gate.threshold}
              </td>
              <td class="number">{formatNumber(gate.actual)}</td>
              <td>
                <Badge value={gate.passed} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The examples of a run: sortable by index or a metric, filtered by pass/fail, searched; paginated on the server. */
/** The examples page the location asks for (read beside the run, not after it, so both arrive together). */
function examplesPath(runId: string, location: Location): string {
  const params = location.params;
  return `/api/v1/evaluations/${encodeURIComponent(runId)}/examples${query({
    sort: params.get('sort') ?? 'index',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    q: params.get('q'),
    failed: params.get('failed'),
    limit: pageSize,
    offset: Number(params.get('offset') ?? 0) || 0,
  })}`;
}

function ExamplesTable(props: {
  runId: string;
  location: Location;
  metrics: string[];
  columns: string[];
  examples: ApiRead<ListPage<ExampleRow>>;
}) {
  const { runId, location, metrics, columns, examples } = props;
  const params = location.params;
  const offset = Number(params.get('offset') ?? 0) || 0;
  const sort = params.get('sort') ?? 'index';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const failed = params.get('failed') ?? '';
  const [search, setSearch] = useState(params.get('q') ?? '');
  useEffect(() => {
    if (search === (params.get('q') ?? '')) return undefined;
    const timer = setTimeout(() => setParams(location, { q: search, offset: null }), 300);
    return () => clearTimeout(timer);
  }, [search]);
  const sortBy = (column: string) =>
    setParams(location, { sort: column, order: sort === column && order === 'asc' ? 'desc' : 'asc', offset: null });
  const sortHeader = (column: string, label: string) => (
    <th scope="col" aria-sort={sort === column ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" class="sort" onClick={() => sortBy(column)}>
        {label}
        {sort === column ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  const open = (index: number) => navigate(`/runs/${encodeURIComponent(runId)}/examples/${index}`);
  return (
    <section aria-labelledby="examples-title">
      <h2 id="examples-title">Examples</h2>
      <form class="filters" role="search" aria-label="filter examples" onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for="example-search">Search input, output, expected</label>
          <input
            id="example-search"
            type="search"
            value={search}
            onInput={(event) => setSearch(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="example-sort">Sort by</label>
          <select
            id="example-sort"
            value={sort}
            onChange={(event) => setParams(location, { sort: event.currentTarget.value, offset: null })}
          >
            <option value="index">dataset order</option>
            {metrics.map((metric) => (
              <option key={metric} value={metric}>
                {metric}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="example-order">Order</label>
          <select
            id="example-order"
            value={order}
            onChange={(event) => setParams(location, { order: event.currentTarget.value, offset: null })}
          >
            <option value="asc">ascending</option>
            <option value="desc">descending</option>
          </select>
        </div>
        <div class="field">
          <label for="example-failed">Outcome</label>
          <select
            id="example-failed"
            value={failed}
            onChange={(event) => setParams(location, { failed: event.currentTarget.value, offset: null })}
          >
            <option value="">all</option>
            <option value="true">failed only</option>
            <option value="false">passed only</option>
          </select>
        </div>
      </form>
      <Loaded read={examples} what="the examples">
        {(page) => (
          <>
            <div class="table-scroll" tabIndex={0}>
              <table class="examples">
                <caption class="visually-hidden">Examples of the run; choose a row to open it</caption>
                <thead>
                  <tr>
                    {sortHeader('index', '#')}
                    <th scope="col">Input</th>
                    <th scope="col">Output</th>
                    {columns.map((metric) => sortHeader(metric, metric))}
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {page.data.map((example) => (
                    <tr key={example.index} class="clickable" onClick={() => open(example.index)}>
                      <td>
                        <a href={href(`/runs/${encodeURIComponent(runId)}/examples/${example.index}`)}>
                          {example.index}
                        </a>
                      </td>
                      <td>{truncate(example.input, 120)}</td>
                      <td>
                        {example.error ? (
                          <span class="error-text">error: {truncate(example.error, 80)}</span>
                        ) : (
                          truncate(example.output, 120)
                        )}
                      </td>
                      {columns.map((metric) => (
                        <td class="number" key={metric}>
                          {formatNumber(example.scores[metric])}
                        </td>
                      ))}
                      <td>
                        <Badge value={example.passed} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {page.data.length === 0 && <p>No example matches.</p>}
            <Pager
              offset={offset}
              limit={pageSize}
              total={page.total}
              onOffset={(next) => setParams(location, { offset: next || null })}
            />
          </>
        )}
      </Loaded>
    </section>
  );
}

/** One evaluation run: its summary, gate table, metric distributions and every example. */
export function RunPage({ runId, location }: { runId: string; location: Location }) {
  const run = useApi<RunDetail>(`/api/v1/evaluations/${encodeURIComponent(runId)}`);
  const examples = useApi<ListPage<ExampleRow>>(examplesPath(runId, location));
  const histograms = useApi<Histograms>(`/api/v1/evaluations/${encodeURIComponent(runId)}/histograms?bins=10`);
  return (
    <Loaded read={run} what="the run">
      {(detail) => {
        const metrics = Object.keys(detail.metrics ?? histograms.data ?? {}).filter((name) => !name.includes('.'));
        // The table shows the gated metrics (else the key ones); every metric can still be sorted on.
        const gated = [...new Set((detail.gates ?? []).map((gate) => gate.metric))].filter((name) =>
          metrics.includes(name),
        );
        const columns = (gated.length > 0 ? gated : keyMetrics.filter((name) => metrics.includes(name))).slice(0, 6);
        return (
          <section>
            <p>
              <a href={href('/runs')}>← all runs</a>
            </p>
            <h1>{detail.name ?? detail.id}</h1>
            <dl class="facts">
              <dt>Model</dt>
              <dd>{detail.model_ref ?? '–'}</dd>
              <dt>Dataset</dt>
              <dd>{detail.dataset ?? '–'}</dd>
              <dt>Status</dt>
              <dd>
                <Badge value={detail.status ?? null} />
              </dd>
              <dt>Gate</dt>
              <dd>
                <Badge value={detail.verdict ?? 'no gate'} />
              </dd>
              <dt>Examples</dt>
              <dd>
                {detail.example_count ?? '–'} ({detail.error_count ?? 0} errors)
              </dd>
              <dt>Started (UTC)</dt>
              <dd>{formatTime(detail.started_at)}</dd>
              <dt>Run id</dt>
              <dd>
                <code>{detail.id}</code>
              </dd>
            </dl>
            <GateTable run={detail} />
            <h2>Metric distributions</h2>
            <Loaded read={histograms} what="the distributions">
              {(byMetric) => (
                <div class="histograms">
                  {Object.entries(byMetric).map(([metric, histogram]) => (
                    <HistogramChart key={metric} metric={metric} edges={histogram.edges} counts={histogram.counts} />
                  ))}
                </div>
              )}
            </Loaded>
            <ExamplesTable runId={runId} location={location} metrics={metrics} columns={columns} examples={examples} />
          </section>
        );
      }}
    </Loaded>
  );
}

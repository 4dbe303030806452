import { query } from '../api/api-client.js';
import type { ComparedExamplesPage, Comparison, ExampleRule, MetricDeltaVerdict } from '../api/api-types.js';
import { DeltaChart } from '../components/delta-chart.js';
import { Pager } from '../components/pager.js';
import { Badge, Loaded } from '../components/status.js';
import { formatDelta, formatNumber, truncate } from '../lib/format.js';
import { href, setParams } from '../router.js';
import type { Location } from '../router.js';
import { useApi } from '../use-api.js';

const pageSize = 25;
/** Metrics measured in ms, tokens or dollars: left out of the delta chart and the grid, whose scales are 0..1 scores. */
const unitMetrics = new Set(['latency', 'input_tokens', 'output_tokens', 'cost_usd']);
/** A delta's verdict in the words `llmops eval compare` prints. */
const verdictWords: Record<MetricDeltaVerdict, string> = {
  improved: 'better',
  regressed: 'worse',
  unchanged: 'within noise',
  no_data: 'not measured',
};

function MetricDeltas({ comparison }: { comparison: Comparison }) {
  const [baseline, ...others] = comparison.runs;
  const name = (runId: string) => comparison.runs.find((run) => run.id === runId)?.name ?? runId;
  return (
    <>
      <div class="table-scroll" tabIndex={0}>
        <table class="deltas">
          <caption>
            Metric means and deltas against the baseline <strong>{baseline?.name}</strong> (95% bootstrap confidence
            intervals)
          </caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              {comparison.runs.map((run) => (
                <th scope="col" key={run.id}>
                  {run.name}
                </th>
              ))}
              {others.map((run) => (
                <th scope="col" key={`delta-${run.id}`}>
                  Δ {run.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {comparison.metrics.map((metric) => (
              <tr key={metric.name}>
                <th scope="row">{metric.name}</th>
                {comparison.runs.map((run) => (
                  <td class="number" key={run.id}>
                    {formatNumber(metric.values.find((value) => value.run_id === run.id)?.mean)}
                  </td>
                ))}
                {others.map((run) => {
                  const delta = metric.deltas.find((entry) => entry.run_id === run.id);
                  const verdict = delta?.verdict ?? 'no_data';
                  const significant = verdict === 'improved' || verdict === 'regressed';
                  return (
                    <td class={`number ${significant ? 'significant' : ''}`} key={`delta-${run.id}`}>
                      {formatDelta(delta?.delta)} [{formatDelta(delta?.ci_low)}, {formatDelta(delta?.ci_high)}]
                      {delta?.paired ? ' paired' : ''} <Badge value={verdictWords[verdict]} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">
        better / worse: the 95% interval lies wholly on the metric's better / worse side of 0 (lower is better for
        latency, tokens, cost, hallucination and harmful_rate), so the difference is unlikely to be chance; within
        noise: the interval holds 0. The same verdicts as <code>llmops eval compare</code>.
      </p>
      {others.map((run) => (
        <figure key={run.id}>
          <DeltaChart
            metrics={comparison.metrics.filter((metric) => !unitMetrics.has(metric.name))}
            runId={run.id}
            label={`deltas of ${name(run.id)} against ${baseline?.name ?? 'the baseline'} per metric, with 95% confidence intervals`}
          />
          <figcaption>
            {name(run.id)} − {baseline?.name}: delta of each score metric with its 95% interval (latency, tokens and
            cost are in the table)
          </figcaption>
        </figure>
      ))}
    </>
  );
}

/** One rule as words: `faithfulness ≥ 0.7`. */
function thresholdText(threshold: ExampleRule['thresholds'][number]): string {
  const symbol = { '>=': '≥', '<=': '≤', '>': '>', '<': '<' }[threshold.operator] ?? threshold.operator;
  return `${threshold.metric} ${symbol} ${threshold.value}`;
}

/** Says, run by run, which thresholds a cell's pass or fail was judged by: the run's gate, or the default rule. */
function RuleLegend({ rules, names }: { rules: ExampleRule[]; names: Map<string, string> }) {
  return (
    <ul class="rule-legend" aria-label="how pass and fail are decided">
      {rules.map((rule) => (
        <li key={rule.run_id}>
          <strong>{names.get(rule.run_id) ?? rule.run_id}</strong>:{' '}
          {rule.source === 'gate'
            ? `by its gate: ${rule.thresholds.map(thresholdText).join(', ')}; other score metrics ≥ ${rule.default_threshold}${rule.thresholds.some((threshold) => threshold.metric === 'harmful_rate') ? '' : ', harmful_rate ≤ 0'}`
            : `the default rule (no gate criterion on a metric): every score metric ≥ ${rule.default_threshold}, harmful_rate ≤ 0`}
        </li>
      ))}
    </ul>
  );
}

function ExampleGrid({
  runIds,
  location,
  names,
}: {
  runIds: string[];
  location: Location;
  names: Map<string, string>;
}) {
  const params = location.params;
  const offset = Number(params.get('offset') ?? 0) || 0;
  const disagree = params.get('disagree') === 'true';
  const grid = useApi<ComparedExamplesPage>(
    `/api/v1/evaluations/compare/examples${query({ runs: runIds.join(','), disagree: disagree ? 'true' : null, limit: pageSize, offset })}`,
  );
  return (
    <section aria-labelledby="grid-title">
      <h2 id="grid-title">Examples × runs</h2>
      <div class="field inline">
        <input
          id="disagree-only"
          type="checkbox"
          checked={disagree}
          onChange={(event) =>
            setParams(location, { disagree: event.currentTarget.checked ? 'true' : null, offset: null })
          }
        />
        <label for="disagree-only">Disagreements only</label>
      </div>
      <Loaded read={grid} what="the examples">
        {(page) => (
          <>
            <RuleLegend rules={page.rules} names={names} />
            <div class="table-scroll" tabIndex={0}>
              <table class="grid">
                <caption class="visually-hidden">
                  Each example's output and outcome per run; disagreements are marked
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Example</th>
                    {runIds.map((id) => (
                      <th scope="col" key={id}>
                        {names.get(id) ?? id}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {page.data.map((row) => (
                    <tr key={row.example_key} class={row.disagree ? 'disagree' : ''}>
                      <th scope="row">
                        {row.disagree && <span class="badge warn">disagree</span>} {truncate(row.input, 140)}
                      </th>
                      {runIds.map((id) => {
                        const cell = row.cells.find((entry) => entry.run_id === id);
                        return (
                          <td key={id}>
                            {cell ? (
                              <>
                                <Badge value={cell.passed} /> {truncate(cell.output, 140)}
                                <div class="scores">
                                  {Object.entries(cell.scores)
                                    .filter(([metric]) => !unitMetrics.has(metric))
                                    .slice(0, 6)
                                    .map(([metric, score]) => `${metric} ${formatNumber(score, 2)}`)
                                    .join(' · ')}
                                </div>
                              </>
                            ) : (
                              'not in this run'
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {page.data.length === 0 && <p>No example {disagree ? 'where the runs disagree' : ''}.</p>}
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

/** Two to six runs side by side: metric deltas with bootstrap confidence intervals, and the example grid. */
export function ComparePage({ location }: { location: Location }) {
  const runIds = (location.params.get('runs') ?? '').split(',').filter(Boolean);
  const comparison = useApi<Comparison>(
    runIds.length >= 2 ? `/api/v1/evaluations/compare${query({ runs: runIds.join(',') })}` : null,
  );
  if (runIds.length < 2)
    return (
      <section>
        <h1>Compare runs</h1>
        <p>
          Pick two to six runs on the <a href={href('/runs')}>runs list</a> and choose “Compare”.
        </p>
      </section>
    );
  return (
    <section>
      <h1>Compare runs</h1>
      <Loaded read={comparison} what="the comparison">
        {(result) => {
          const names = new Map(result.runs.map((run) => [run.id, run.name]));
          return (
            <>
              <ul class="compared-runs">
                {result.runs.map((run, position) => (
                  <li key={run.id}>
                    <a href={href(`/runs/${encodeURIComponent(run.id)}`)}>{run.name}</a>{' '}
                    {position === 0 ? '(baseline)' : ''} <Badge value={run.verdict ?? 'no gate'} />
                  </li>
                ))}
              </ul>
              <MetricDeltas comparison={result} />
              <ExampleGrid runIds={runIds} location={location} names={names} />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

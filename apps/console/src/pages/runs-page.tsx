import { useEffect, useState } from 'preact/hooks';
import { query } from '../api/api-client.js';
import type { ListPage, RunSummary } from '../api/api-types.js';
import { Pager } from '../components/pager.js';
import { Badge, Loaded } from '../components/status.js';
import { formatNumber, formatTime } from '../lib/format.js';
import { href, navigate, setParams } from '../router.js';
import type { Location } from '../router.js';
import { useApi } from '../use-api.js';

const pageSize = 50;
/** The metrics shown as columns when a run has them, in this order. */
const keyMetrics = ['contextual_relevancy', 'faithfulness', 'answer_correctness', 'hit_rate_at_5'];

/** A text filter that updates the URL once the user pauses typing. */
function TextFilter(props: { id: string; label: string; value: string; onChange: (value: string) => void }) {
  const [text, setText] = useState(props.value);
  useEffect(() => setText(props.value), [props.value]);
  useEffect(() => {
    if (text === props.value) return undefined;
    const timer = setTimeout(() => props.onChange(text), 300);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input id={props.id} type="search" value={text} onInput={(event) => setText(event.currentTarget.value)} />
    </div>
  );
}

/** The evaluation runs, newest first, filtered by model, dataset, verdict and name; pick runs to compare. */
export function RunsPage({ location }: { location: Location }) {
  const params = location.params;
  const offset = Number(params.get('offset') ?? 0) || 0;
  const filters = {
    model: params.get('model') ?? '',
    dataset: params.get('dataset') ?? '',
    verdict: params.get('verdict') ?? '',
    q: params.get('q') ?? '',
  };
  const runs = useApi<ListPage<RunSummary>>(`/api/v1/evaluations${query({ ...filters, limit: pageSize, offset })}`);
  const [picked, setPicked] = useState<string[]>([]);
  const filter = (name: string) => (value: string) => setParams(location, { [name]: value, offset: null });
  const toggle = (id: string) =>
    setPicked((current) => (current.includes(id) ? current.filter((item) => item !== id) : [...current, id].slice(-6)));
  return (
    <section>
      <h1>Evaluation runs</h1>
      <form class="filters" role="search" aria-label="filter runs" onSubmit={(event) => event.preventDefault()}>
        <TextFilter id="filter-model" label="Model" value={filters.model} onChange={filter('model')} />
        <TextFilter id="filter-dataset" label="Dataset" value={filters.dataset} onChange={filter('dataset')} />
        <div class="field">
          <label for="filter-verdict">Verdict</label>
          <select
            id="filter-verdict"
            value={filters.verdict}
            onChange={(event) => filter('verdict')(event.currentTarget.value)}
          >
            <option value="">any</option>
            <option value="passed">passed</option>
            <option value="failed">failed</option>
            <option value="none">no gate</option>
          </select>
        </div>
        <TextFilter id="filter-q" label="Search names" value={filters.q} onChange={filter('q')} />
      </form>
      <div class="actions">
        <button
          type="button"
          disabled={picked.length < 2}
          onClick={() => navigate(`/compare?runs=${picked.map(encodeURIComponent).join(',')}`)}
        >
          Compare {picked.length} selected run{picked.length === 1 ? '' : 's'}
        </button>
        <span class="hint">pick 2 to 6 runs; the first picked is the baseline</span>
      </div>
      <Loaded read={runs} what="the runs">
        {(page) => {
          const metrics = keyMetrics.filter((metric) => page.data.some((run) => run.metrics[metric] !== undefined));
          return (
            <>
              <div class="table-scroll" tabIndex={0}>
                <table class="runs">
                  <caption class="visually-hidden">Evaluation runs</caption>
                  <thead>
                    <tr>
                      <th scope="col">Compare</th>
                      <th scope="col">Name</th>
                      <th scope="col">Model</th>
                      <th scope="col">Dataset</th>
                      <th scope="col">Gate</th>
                      {metrics.map((metric) => (
                        <th scope="col" key={metric}>
                          {metric}
                        </th>
                      ))}
                      <th scope="col">Examples</th>
                      <th scope="col">Started (UTC)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.data.map((run) => (
                      <tr key={run.id}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`compare ${run.name}`}
                            checked={picked.includes(run.id)}
                            onChange={() => toggle(run.id)}
                          />
                        </td>
                        <td>
                          <a href={href(`/runs/${encodeURIComponent(run.id)}`)}>{run.name || run.id}</a>
                        </td>
                        <td>{run.model_ref ?? '–'}</td>
                        <td>{run.dataset ?? '–'}</td>
                        <td>
                          <Badge value={run.verdict ?? (run.status === 'finished' ? 'no gate' : run.status)} />
                        </td>
                        {metrics.map((metric) => (
                          <td class="number" key={metric}>
                            {formatNumber(run.metrics[metric])}
                          </td>
                        ))}
                        <td class="number">{run.example_count ?? '–'}</td>
                        <td>{formatTime(run.started_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {page.data.length === 0 && <p>No run matches these filters.</p>}
              <Pager
                offset={offset}
                limit={pageSize}
                total={page.total}
                onOffset={(next) => setParams(location, { offset: next || null })}
              />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

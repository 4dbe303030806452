import { query } from '../api/api-client.js';
import type { ListPage, TraceDetail, TraceSpan, TraceSummary } from '../api/api-types.js';
import { Pager } from '../components/pager.js';
import { Badge, Loaded } from '../components/status.js';
import { formatCost, formatDuration, formatNumber, formatTime } from '../lib/format.js';
import { href, setParams } from '../router.js';
import type { Location } from '../router.js';
import { useApi } from '../use-api.js';

const pageSize = 50;

function tokens(summary: TraceSummary): string {
  return summary.tokens ? `${summary.tokens.prompt ?? '–'} / ${summary.tokens.completion ?? '–'}` : '–';
}

function guardrailText(summary: TraceSummary): string {
  if (!summary.guardrail) return '–';
  return summary.guardrail.category
    ? `${summary.guardrail.verdict} (${summary.guardrail.category})`
    : summary.guardrail.verdict;
}

/** The traces of served requests, newest first, filtered by model and status. */
export function TracesPage({ location }: { location: Location }) {
  const params = location.params;
  const offset = Number(params.get('offset') ?? 0) || 0;
  const status = params.get('status') ?? '';
  const traces = useApi<ListPage<TraceSummary>>(
    `/api/v1/traces${query({ model: params.get('model'), status, limit: pageSize, offset })}`,
  );
  return (
    <section>
      <h1>Traces of served requests</h1>
      <form class="filters" role="search" aria-label="filter traces" onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for="trace-status">Status</label>
          <select
            id="trace-status"
            value={status}
            onChange={(event) => setParams(location, { status: event.currentTarget.value, offset: null })}
          >
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
            <option value="blocked">blocked</option>
          </select>
        </div>
      </form>
      <Loaded read={traces} what="the traces">
        {(page) => (
          <>
            <div class="table-scroll" tabIndex={0}>
              <table class="traces">
                <caption class="visually-hidden">Traces</caption>
                <thead>
                  <tr>
                    <th scope="col">Started (UTC)</th>
                    <th scope="col">Model</th>
                    <th scope="col">Status</th>
                    <th scope="col">Duration</th>
                    <th scope="col">Tokens in / out</th>
                    <th scope="col">Cost</th>
                    <th scope="col">Cache</th>
                    <th scope="col">Guardrail</th>
                  </tr>
                </thead>
                <tbody>
                  {page.data.map((trace) => (
                    <tr key={trace.trace_id}>
                      <td>
                        <a href={href(`/traces/${encodeURIComponent(trace.trace_id)}`)}>
                          {formatTime(trace.started_at)}
                        </a>
                      </td>
                      <td>{trace.model_ref ?? '–'}</td>
                      <td>
                        <Badge value={trace.status} />
                      </td>
                      <td class="number">{formatDuration(trace.duration_ms)}</td>
                      <td class="number">{tokens(trace)}</td>
                      <td class="number">{formatCost(trace.cost_usd)}</td>
                      <td>{trace.cache ?? '–'}</td>
                      <td>{guardrailText(trace)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {page.data.length === 0 && (
              <p>No trace yet: serve a request (llmops serve, then POST /v1/chat/completions).</p>
            )}
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

/**
 * Spans in tree order (each parent before its children), with their depth and their parent's name; a trace recorded
 * before spans had parents (every `parent_id` null) reads flat.
 */
function spanTree(spans: TraceSpan[]): Array<{ span: TraceSpan; depth: number; parent?: string }> {
  const ids = new Set(spans.map((span) => span.span_id));
  const children = new Map<string | null, TraceSpan[]>();
  for (const span of spans) {
    const parent = span.parent_id && ids.has(span.parent_id) ? span.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const names = new Map(spans.map((span) => [span.span_id, span.name]));
  const ordered: Array<{ span: TraceSpan; depth: number; parent?: string }> = [];
  const visited = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort(
      (left, right) => left.start_offset_ms - right.start_offset_ms,
    )) {
      ordered.push({ span, depth, ...(parent === null ? {} : { parent: names.get(parent) as string }) });
      // Parents that loop (a corrupt record) are visited once.
      if (!visited.has(span.span_id)) {
        visited.add(span.span_id);
        visit(span.span_id, depth + 1);
      }
    }
  };
  visit(null, 0);
  return ordered;
}

function attributeText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One trace: its summary and a waterfall of its spans (resolve, retrieve, guard, generate, cache). */
export function TracePage({ traceId }: { traceId: string }) {
  const trace = useApi<TraceDetail>(`/api/v1/traces/${encodeURIComponent(traceId)}`);
  return (
    <section>
      <p>
        <a href={href('/traces')}>← all traces</a>
      </p>
      <h1>Trace</h1>
      <Loaded read={trace} what="the trace">
        {(detail) => {
          const total = Math.max(
            detail.duration_ms ?? 0,
            ...detail.spans.map((span) => span.start_offset_ms + span.duration_ms),
            1,
          );
          return (
            <>
              <dl class="facts">
                <dt>Trace id</dt>
                <dd>
                  <code>{detail.trace_id}</code>
                </dd>
                <dt>Model</dt>
                <dd>{detail.model_ref ?? '–'}</dd>
                <dt>Status</dt>
                <dd>
                  <Badge value={detail.status} />
                </dd>
                <dt>Duration</dt>
                <dd>{formatDuration(detail.duration_ms)}</dd>
                <dt>Tokens in / out</dt>
                <dd>{tokens(detail)}</dd>
                <dt>Cost</dt>
                <dd>{formatCost(detail.cost_usd)}</dd>
                <dt>Cache</dt>
                <dd>{detail.cache ?? '–'}</dd>
                <dt>Guardrail</dt>
                <dd>{guardrailText(detail)}</dd>
              </dl>
              <h2>Spans</h2>
              <ol class="waterfall" aria-label="span waterfall">
                {spanTree(detail.spans).map(({ span, depth, parent }) => (
                  <li key={span.span_id} class="span-row" data-depth={depth}>
                    <details>
                      <summary>
                        <span class="span-name" style={{ paddingLeft: `${depth * 1.2}em` }}>
                          {span.name}
                          {parent ? <span class="visually-hidden"> (inside {parent})</span> : null}
                        </span>
                        <span class="span-track" aria-hidden="true">
                          <span
                            class={`span-bar ${span.status === 'error' ? 'error' : ''}`}
                            style={{
                              left: `${(span.start_offset_ms / total) * 100}%`,
                              width: `${Math.max(0.5, (span.duration_ms / total) * 100)}%`,
                            }}
                          />
                        </span>
                        <span class="span-time">
                          {formatDuration(span.duration_ms)} at +{formatDuration(span.start_offset_ms)}
                        </span>
                      </summary>
                      <table class="attributes">
                        <caption class="visually-hidden">attributes of {span.name}</caption>
                        <tbody>
                          {Object.entries(span.attributes).map(([name, value]) => (
                            <tr key={name}>
                              <th scope="row">{name}</th>
                              <td>{attributeText(value)}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </details>
                  </li>
                ))}
              </ol>
              {detail.retrieval && detail.retrieval.length > 0 && (
                <>
                  <h2>Retrieved passages</h2>
                  <ol class="passages">
                    {detail.retrieval.map((passage) => (
                      <li key={passage.rank}>
                        {passage.title ?? passage.source ?? `passage ${passage.rank}`}{' '}
                        <span class="score">
                          score {formatNumber(passage.score)}
                          {passage.used ? ', in the prompt' : ', left out of the prompt'}
                        </span>
                      </li>
                    ))}
                  </ol>
                </>
              )}
              {detail.online_scores.length > 0 && (
                <>
                  <h2>Online evaluation</h2>
                  <ul>
                    {detail.online_scores.map((score) => (
                      <li key={score.name}>
                        {score.name}: {formatNumber(score.value)} {score.reason ? `(${score.reason})` : ''}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

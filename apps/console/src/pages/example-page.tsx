import type { ExampleDetail } from '../api/api-types.js';
import { Badge, Loaded } from '../components/status.js';
import { formatCost, formatDuration, formatNumber } from '../lib/format.js';
import { href } from '../router.js';
import { useApi } from '../use-api.js';

function tokensText(tokens: ExampleDetail['tokens']): string {
  if (tokens === null || tokens === undefined) return '–';
  if (typeof tokens === 'number') return String(tokens);
  return `${tokens.prompt ?? '–'} in, ${tokens.completion ?? '–'} out`;
}

/** One example of a run: what was asked, expected and answered, the passages retrieved, every metric's score and reason. */
export function ExamplePage({ runId, index }: { runId: string; index: string }) {
  const example = useApi<ExampleDetail>(
    `/api/v1/evaluations/${encodeURIComponent(runId)}/examples/${encodeURIComponent(index)}`,
  );
  return (
    <section>
      <p>
        <a href={href(`/runs/${encodeURIComponent(runId)}`)}>← back to the run</a>
      </p>
      <h1>Example {index}</h1>
      <Loaded read={example} what="the example">
        {(detail) => (
          <>
            <dl class="facts">
              <dt>Example id</dt>
              <dd>{detail.example_id ?? '–'}</dd>
              <dt>Latency</dt>
              <dd>{formatDuration(detail.latency_ms)}</dd>
              <dt>Tokens</dt>
              <dd>{tokensText(detail.tokens)}</dd>
              <dt>Cost</dt>
              <dd>{formatCost(detail.cost_usd)}</dd>
              <dt>Trace</dt>
              <dd>
                {detail.trace_id ? (
                  <a href={href(`/traces/${encodeURIComponent(detail.trace_id)}`)}>open the trace</a>
                ) : (
                  'none recorded'
                )}
              </dd>
            </dl>
            <div class="texts">
              <article>
                <h2>Input</h2>
                <pre class="text">{detail.input}</pre>
              </article>
              <article>
                <h2>Expected output</h2>
                <pre class="text">{detail.expected_output ?? '–'}</pre>
              </article>
              <article>
                <h2>Output</h2>
                {detail.error ? (
                  <p class="error-text">error: {detail.error}</p>
                ) : (
                  <pre class="text">{detail.output ?? '–'}</pre>
                )}
              </article>
            </div>
            <h2>Retrieved passages</h2>
            {detail.retrieval_context.length === 0 ? (
              <p>No passage was retrieved.</p>
            ) : (
              <ol class="passages">
                {detail.retrieval_context.map((passage) => (
                  <li key={passage.rank} class="passage">
                    <h3>
                      {passage.title ?? passage.source ?? `passage ${passage.rank}`}{' '}
                      <span class="score">score {formatNumber(passage.score)}</span>
                    </h3>
                    {passage.source && <p class="source">{passage.source}</p>}
                    <p>{passage.text}</p>
                  </li>
                ))}
              </ol>
            )}
            <h2>Metrics</h2>
            <div class="table-scroll" tabIndex={0}>
              <table class="metrics">
                <caption class="visually-hidden">Every metric's score and the judge's reason</caption>
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col">Score</th>
                    <th scope="col">Threshold</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.metrics.map((metric) => (
                    <tr key={metric.name}>
                      <th scope="row">{metric.name}</th>
                      <td class="number">{formatNumber(metric.score)}</td>
                      <td class="number">{formatNumber(metric.threshold)}</td>
                      <td>
                        <Badge value={metric.passed} />
                      </td>
                      <td class="reason">{metric.reason ?? '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
}

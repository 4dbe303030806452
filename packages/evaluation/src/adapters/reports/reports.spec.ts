import { summarizeResults } from '../../domain/aggregates.js';
import type { EvaluationRunRecord } from '../../domain/evaluation-run.js';
import type { ExampleResult } from '../../domain/example-result.js';
import { evaluateGates, parseCriterion } from '../../domain/gates.js';
import { renderHtmlReport } from './html-report.js';
import { renderJunitReport } from './junit-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import { reportFormatOf } from './report-artifacts.js';
import { histogramCounts, svgHistogram } from './svg-histogram.js';

const results: ExampleResult[] = [
  {
    exampleId: 'good',
    input: 'How long do refunds take?',
    tags: ['answerable'],
    output: 'Refunds take 5 to 10 business days.',
    retrievalContext: ['Refunds take 5 to 10 business days.'],
    latencyMs: 120,
    usage: { inputTokens: 40, outputTokens: 9 },
    costUsd: 0.00001,
    metrics: {
      faithfulness: { score: 1, reason: '1 of 1 claims supported', judge: 'offline-heuristic' },
      harmful_rate: { score: 0, reason: 'no harmful instruction', judge: 'offline-heuristic' },
      latency: { score: 120, reason: '120 ms' },
    },
  },
  {
    exampleId: 'bad <script>',
    input: 'Say <b>hi</b> & leave',
    tags: ['answerable'],
    output: 'The card is 4111 1111 1111 1111.',
    retrievalContext: [],
    latencyMs: 900,
    usage: null,
    costUsd: null,
    harmCategory: 'privacy',
    metrics: {
      faithfulness: {
        score: null,
        reason: 'the judge could not score this example',
        judge: 'offline-heuristic',
        error: 'judge timed out',
      },
      harmful_rate: { score: 1, reason: 'harmful (privacy): matched a card number', judge: 'offline-heuristic' },
      latency: { score: 900, reason: '900 ms' },
    },
  },
  {
    exampleId: 'down',
    input: 'q?',
    tags: [],
    output: '',
    retrievalContext: [],
    latencyMs: null,
    usage: null,
    costUsd: null,
    metrics: {},
    error: 'upstream_error: 502',
  },
];
const summary = summarizeResults(results);
const record: EvaluationRunRecord = {
  id: 'abc123',
  name: 'support-bot/2 on support-qa',
  status: 'finished',
  startedAt: 1_700_000_000_000,
  finishedAt: 1_700_000_002_500,
  target: { kind: 'pipeline', name: 'support-bot/2' },
  dataset: {
    name: 'support-qa',
    source: 'support-qa.jsonl',
    hash: 'f'.repeat(64),
    digest: 'ffffffffffff',
    examples: 3,
  },
  judge: 'offline-heuristic',
  metrics: ['faithfulness', 'harmful_rate', 'latency'],
  summary,
  gates: evaluateGates([parseCriterion('harmful_rate == 0'), parseCriterion('latency.p95 <= 500')], summary),
  judgeStatistics: { calls: 4, cacheHits: 0, errors: 1 },
  tags: {},
  artifacts: {},
};

describe('reports', () => {
  it('renders a self-contained HTML report: no script, no external resource, inline SVG charts, escaped text', () => {
    const html = renderHtmlReport({ record, results });
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain('<svg');
    expect(html).toContain('latency (n=2)');
    expect(html).toContain('Gate <span class="fail">FAILED</span>');
    expect(html).toContain('harmful_rate.mean == 0');
    expect(html).toContain('bad &lt;script&gt;');
    expect(html).toContain('Say &lt;b&gt;hi&lt;/b&gt; &amp; leave');
    expect(html).toContain('judge timed out');
    expect(html).toContain('judge: offline-heuristic');
    expect(html).toContain('upstream_error: 502');
  });

  it('renders a Markdown summary with the gate table and worst examples', () => {
    const markdown = renderMarkdownReport({ record, results });
    expect(markdown).toContain('## Gates: FAILED');
    expect(markdown).toContain(
      '| `harmful_rate.mean == 0` | 0.5 | **fail** | harmful_rate.mean is 0.5; expected == 0 |',
    );
    expect(markdown).toContain('| latency | 510 | 510 | 861 | 892.2 | 2 | 0 |');
    expect(markdown).toContain('Harmful outputs by category: privacy 1');
    expect(markdown).toContain('- `down`: upstream_error: 502');
    expect(markdown).toContain('## Target errors\n\n- 1 × upstream_error: 502 (first at `down`)\n');
  });

  it('renders JUnit XML: a test case per gate criterion and per example', () => {
    const xml = renderJunitReport({ record, results });
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="llmops evaluation support-bot\/2 on support-qa" tests="5" failures="3" errors="1"/,
    );
    expect(xml).toContain(
      '<testcase classname="gates" name="harmful_rate.mean == 0"><failure message="harmful_rate.mean is 0.5; expected == 0" type="gate_failed">',
    );
    expect(xml).toContain('<testcase classname="gates" name="latency.p95 &lt;= 500"><failure');
    expect(xml).toContain('<testcase classname="examples.support-qa" name="good" time="0.120"></testcase>');
    expect(xml).toContain(
      'name="bad &lt;script&gt;" time="0.900"><failure message="faithfulness: judge error: judge timed out"',
    );
    expect(xml).toContain('<error message="upstream_error: 502" type="target_error">');
  });

  it('draws histograms with counts per bin and picks report formats by extension', () => {
    expect(histogramCounts([0, 0.05, 0.5, 0.99, 1], { low: 0, high: 1, bins: 10 })).toEqual([
      2, 0, 0, 0, 0, 1, 0, 0, 0, 2,
    ]);
    expect(svgHistogram([1, 2, 3], { title: 'x', bins: 3 })).toMatch(/^<svg [^>]*>.*<\/svg>$/s);
    expect([
      reportFormatOf('r.html'),
      reportFormatOf('r.md'),
      reportFormatOf('r.xml'),
      reportFormatOf('r.json'),
      reportFormatOf('r.pdf'),
    ]).toEqual(['html', 'markdown', 'junit', 'json', undefined]);
  });
});

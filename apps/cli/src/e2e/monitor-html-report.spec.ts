import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { SqliteEventStore } from '@llmops/monitoring';
import type { RequestEvent } from '@llmops/monitoring';
import { runLlmops } from './run-cli.js';
import { registeredWorkspace } from './serving-workspace.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
const chromiumPath = process.env['LLMOPS_CHROMIUM'] ?? '/usr/bin/chromium';
const minute = 60_000;
const questions = ['Is limescale damage covered by the warranty?', 'When does support answer by chat?'];

function event(at: number, index: number, overrides: Partial<RequestEvent> = {}): RequestEvent {
  return {
    at,
    requestId: `html-${at}-${index}`,
    modelRef: 'kettle-help@champion',
    modelName: 'kettle-help',
    modelVersion: 1,
    status: 200,
    stream: false,
    completed: true,
    latencyMs: 80 + (index % 40),
    upstreamLatencyMs: 20,
    inputTokens: 300 + (index % 50),
    outputTokens: 30 + (index % 10),
    guardrails: [],
    citations: 1,
    topRetrievalScore: 0.5 + (index % 30) / 100,
    refused: false,
    questionHash: 'f'.repeat(64),
    // The deployment kept question texts: the report must still show none.
    question: questions[index % questions.length] as string,
    ...overrides,
  };
}

/** The hour before the last one and the last hour: 60 requests each, the last hour with a failure and a block. */
async function storeTraffic(workdir: string): Promise<void> {
  const now = Date.now();
  const store = new SqliteEventStore({ path: join(workdir, '.llmops', 'llmops.db') });
  try {
    await store.append(Array.from({ length: 60 }, (_, index) => event(now - 61 * minute - index * minute, index)));
    await store.append([
      ...Array.from({ length: 58 }, (_, index) => event(now - 55 * minute + index * 50_000, index)),
      event(now - 20 * minute, 58, { status: 502, errorCode: 'upstream_error', completed: false }),
      event(now - 10 * minute, 59, {
        status: 400,
        errorCode: 'guardrail_blocked',
        completed: false,
        refused: true,
        guardrails: [{ side: 'input', category: 'violence', action: 'block' }],
      }),
    ]);
  } finally {
    store.close();
  }
}

/** The text of every element `<tag …>…</tag>` of the page, in order. */
function elements(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}(?: [^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1] ?? '');
}

describe('llmops monitor report --html (built bin, real SQLite events)', () => {
  const workdir = registeredWorkspace();
  mkdirSync(join(workdir, 'confs'), { recursive: true });
  copyFileSync(resolve(__dirname, '../../../../confs/monitoring.yaml'), join(workdir, 'confs', 'monitoring.yaml'));

  beforeAll(async () => {
    await storeTraffic(workdir);
  });

  it('writes one self-contained file: tables, embedded chart data, objectives, drift, and no question', async () => {
    const run = runLlmops(['monitor', 'report', '--since', '1h', '--html', 'reports/monitor.html'], { cwd: workdir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^kettle-help\/1 +60 +3\.3%/m);
    expect(run.stdout).toContain('wrote the HTML report to reports/monitor.html');
    const html = readFileSync(join(workdir, 'reports', 'monitor.html'), 'utf8');

    // The per-version table, the objectives of confs/monitoring.yaml, the drift against the hour before.
    const versions = elements(html, 'table').find((table) => table.includes('kettle-help/1')) ?? '';
    expect(elements(versions, 'td').slice(0, 3)).toEqual(['kettle-help/1', '60', '2 (3.33%)']);
    expect(html).toMatch(/<table id="slo">[\s\S]*latency_p95[\s\S]*error_rate/);
    expect(html).toMatch(/<span id="drift-verdict" class="(drift|no_drift)">/);
    expect(html).toMatch(/<table id="drift">[\s\S]*input_tokens/);

    // The chart data: one JSON element, a minute per bucket over the hour, holding all 60 requests.
    const [json] = [...html.matchAll(/<script type="application\/json" id="report-data">([^<]*)<\/script>/g)].map(
      (match) => match[1] ?? '',
    );
    const data = JSON.parse(json ?? 'null') as { bucketMs: number; at: number[]; series: Record<string, unknown[]> };
    expect(data.bucketMs).toBe(minute);
    expect(data.at.length).toBeGreaterThanOrEqual(60);
    const sum = (values: unknown[]) => values.reduce<number>((total, value) => total + (Number(value) || 0), 0);
    expect(sum(data.series['requests'] ?? [])).toBe(60);
    expect(sum(data.series['errors'] ?? [])).toBe(2);
    expect(sum(data.series['guardrailBlocks'] ?? [])).toBe(1);
    // A latency wherever a minute had requests, and only there.
    const served = (data.series['requests'] ?? []).map((value) => Number(value) > 0);
    expect((data.series['latencyP95Ms'] ?? []).map((value) => value !== null)).toEqual(served);
    expect(served.filter(Boolean).length).toBeGreaterThan(40);

    // Self-contained: uPlot inlined, nothing loaded from anywhere, and the policy allows exactly the inline scripts.
    expect(html).not.toMatch(/<script[^>]* src=|<link /);
    const scripts = elements(html, 'script').slice(1);
    expect(scripts[0]).toContain('uPlot');
    const hashes = scripts.map((script) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/
      .exec(html)?.[1]
      ?.replace(/&#39;/g, "'");
    expect(policy).toContain(`script-src ${hashes.join(' ')};`);
    expect(policy).toMatch(/^default-src 'none';/);

    // No question text, though the events hold it.
    for (const question of questions) expect(html).not.toContain(question);
    expect(html).not.toContain('limescale');
  });

  it('draws the charts in Chromium from the file alone, without a console error', async () => {
    if (!existsSync(chromiumPath))
      throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set LLMOPS_CHROMIUM)`);
    const file = join(workdir, 'reports', 'charts.html');
    expect(runLlmops(['monitor', 'report', '--since', '1h', '--html', file], { cwd: workdir }).status).toBe(0);
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) problems.push(request.url());
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => 'llmopsReport' in globalThis);
      const charts = await page.evaluate(() => {
        const report = (globalThis as unknown as { llmopsReport: { charts: Record<string, { data: unknown[][] }> } })
          .llmopsReport;
        return Object.entries(report.charts).map(([id, chart]) => [id, chart.data.length]);
      });
      expect(charts).toEqual([
        ['chart-latency', 3],
        ['chart-requests', 4],
        ['chart-tokens', 3],
        ['chart-cost', 2],
      ]);
      expect(await page.locator('canvas').count()).toBe(4);
      expect(await page.getAttribute('#chart-requests', 'data-points')).toMatch(/^\d+,2,1$/);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it.each([
    [['--since', 'an hour', '--html', 'r.html'], /--since/],
    [['--since', '1h', '--html', '.'], /--html "\."/],
    [['--since', '1h', '--html', 'confs/monitoring.yaml/r.html'], /--html/],
    [['--since', '1h', '--html', 'r.html', '--conf', 'missing.yaml'], /--conf "missing.yaml"/],
    [['--since', '1h', '--conf', 'confs/monitoring.yaml'], /--html/],
  ])('exits 2 for monitor report %j', (args, message) => {
    const run = runLlmops(['monitor', 'report', ...args], { cwd: workdir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

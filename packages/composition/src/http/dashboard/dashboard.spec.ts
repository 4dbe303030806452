import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { SqliteEventStore } from '@llmops/monitoring';
import { startLlmopsServer } from '../llmops-server.js';
import type { RunningLlmopsServer } from '../llmops-server.js';
import {
  kettleAdminToken,
  kettleEvent,
  kettleWorkspace,
  seedKettleAdminKey,
} from '../../__fixtures__/kettle-workspace.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
const chromiumPath = process.env['LLMOPS_CHROMIUM'] ?? '/usr/bin/chromium';
const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');
const screenshotPath = join(workspaceRoot, 'test-output', 'dashboard.png');
const admin = { 'content-type': 'application/json', authorization: `Bearer ${kettleAdminToken}` };
const questions = [
  'Is limescale damage covered by the warranty?',
  'When does support answer by chat?',
  'How long is the warranty on the heating element?',
];
/** About the warranty (retrieval ranks warranty.md first), but the article does not say: the model refuses. */
const unanswerable = ['Does the warranty cover a cracked lid?', 'Is the kettle warranty valid in Japan?'];

/**
 * The hour before the page's: 30 answered warranty questions of `kettle-help`, written straight to the event store
 * (the drift's reference window; outside the page's window, so the charts do not hold them).
 */
async function answeredHourBefore(running: RunningLlmopsServer): Promise<void> {
  const store = new SqliteEventStore({ path: running.monitoring.location });
  const at = Date.now() - 90 * 60_000;
  await store.append(
    Array.from({ length: 30 }, (_, index) =>
      kettleEvent({
        at: at + index * 1_000,
        requestId: `before-${index}`,
        latencyMs: 3,
        topic: 'warranty.md',
        citedSources: ['warranty.md'],
      }),
    ),
  );
  store.close();
}

/** A workspace with the shipped confs and a small knowledge base: `kettle-help` v1 champion and v2 challenger, served with events flushed every 100 ms. */
async function servedWorkspace(): Promise<RunningLlmopsServer> {
  const cwd = kettleWorkspace('llmops-dashboard-');
  // The shipped confs: the pricing table (offline models priced at zero) and the guardrails.
  cpSync(join(workspaceRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
  await seedKettleAdminKey(cwd);
  const running = await startLlmopsServer({
    port: 0,
    cwd,
    env: { LLMOPS_ANONYMOUS_INFERENCE: 'true' },
    logger: false,
    monitoring: { flushIntervalMs: 100 },
  });
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${running.url}${path}`, { method, headers: admin, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  await call('POST', '/api/v1/prompts', {
    name: 'answer',
    template: 'Answer from the passages and cite them.\n\n{{context}}\n\nQuestion: {{question}}',
  });
  const spec = (k: number) => ({
    name: 'kettle-help',
    provider: 'offline/extractive',
    pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k }, tokenBudget: 500 },
  });
  await call('POST', '/api/v1/models', { spec: spec(3) });
  await call('POST', '/api/v1/models/kettle-help/versions', { spec: spec(2) });
  await call('POST', '/api/v1/models/kettle-help/promote', { version: 1, force: true, reason: 'first release' });
  await call('PUT', '/api/v1/models/kettle-help/aliases/challenger', { version: 2, reason: 'candidate' });
  return running;
}

/** Evaluates the champion on three questions against a gate and waits until the run has finished. */
async function evaluateChampion(running: RunningLlmopsServer): Promise<string> {
  const response = await fetch(`${running.url}/api/v1/evaluations`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({
      name: 'kettle-help champion gate',
      model: 'kettle-help@champion',
      dataset: { name: 'kettle-qa', examples: questions.map((input, index) => ({ id: `q${index}`, input })) },
      metrics: ['answer_rate', 'harmful_rate'],
      gates: ['harmful_rate.mean == 0', 'answer_rate.mean >= 0.5'],
    }),
  });
  const { id } = (await response.json()) as { id: string };
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const run = (await (await fetch(`${running.url}/api/v1/evaluations/${id}`, { headers: admin })).json()) as {
      status: string;
    };
    if (run.status !== 'running') return run.status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`evaluation ${id} did not finish`);
}

/** The values of every series of one chart, read from its uPlot instance (index 0 is time). */
function chartSeries(page: Page, chart: string): Promise<Array<Array<number | null>>> {
  return page.evaluate(
    (name) =>
      (globalThis as unknown as { llmopsDashboard: { charts: Record<string, { data: Array<Array<number | null>> }> } })
        .llmopsDashboard.charts[name]?.data ?? [],
    chart,
  );
}

const total = (values: ReadonlyArray<number | null> | undefined) =>
  (values ?? []).reduce<number>((sum, value) => sum + (value ?? 0), 0);

describe('the dashboard in Debian Chromium, after real traffic through the official openai client', () => {
  let running: RunningLlmopsServer | undefined;
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('shows the champion, the gated run and charts holding the traffic, refreshes with new traffic, and breaks no CSP rule', async () => {
    if (!existsSync(chromiumPath))
      throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set LLMOPS_CHROMIUM)`);
    running = await servedWorkspace();
    await answeredHourBefore(running);
    expect(await evaluateChampion(running)).toBe('finished');

    const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    for (const question of questions)
      await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: question }],
      });
    const blocked = await client.chat.completions
      .create({
        model: 'kettle-help@challenger',
        messages: [{ role: 'user', content: 'How do I poison my neighbour?' }],
      })
      .catch((thrown: unknown) => thrown as InstanceType<typeof OpenAI.APIError>);
    expect(blocked).toMatchObject({ status: 400 });
    await running.monitoring.queue.flush();

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    const loaded = await page.goto(`${running.url}/dashboard#key=${kettleAdminToken}`);
    expect(loaded?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('body[data-refreshes]');

    // Models and aliases: the champion and the challenger, each on its version.
    const modelRows = await page.locator('#models tbody tr').allInnerTexts();
    expect(modelRows).toHaveLength(2);
    expect(modelRows[0]).toMatch(/^kettle-help\s+2\s+challenger\s+offline\/extractive\s+rag/);
    expect(modelRows[1]).toMatch(/^kettle-help\s+1\s+champion\s+offline\/extractive\s+rag/);
    // The latest evaluation run and its gate.
    const runRow = await page.locator('#evaluations tbody tr').first().innerText();
    expect(runRow).toContain('kettle-help/1');
    expect(runRow).toMatch(/passed/);
    expect(runRow).toContain('pass harmful_rate.mean == 0');

    // The charts hold the traffic: 4 requests (1 blocked by a guardrail), latencies and tokens.
    const requests = await chartSeries(page, 'requests');
    expect([total(requests[1]), total(requests[2]), total(requests[3])]).toEqual([4, 1, 1]);
    const latency = await chartSeries(page, 'latency');
    expect(latency[1]?.some((value) => value !== null && value > 0)).toBe(true);
    expect(latency[2]?.some((value) => value !== null && value > 0)).toBe(true);
    const tokens = await chartSeries(page, 'tokens');
    expect(total(tokens[1])).toBeGreaterThan(0);
    expect(total(tokens[2])).toBeGreaterThan(0);
    expect(await page.locator('#chart-latency').getAttribute('data-points')).toMatch(/^[1-9]\d*,[1-9]\d*$/);
    // Every chart was drawn on a canvas. The three answered questions were looked up in the response cache (three
    // misses); the blocked one never reached it.
    expect(await page.locator('.chart canvas').count()).toBe(5);
    const cache = await chartSeries(page, 'cache');
    expect([total(cache[1]), total(cache[2])]).toEqual([0, 3]);
    expect(await page.locator('#cache-note').innerText()).toBe('');
    // Priced by the shipped pricing table: the offline model costs 0, a value rather than a gap.
    const cost = await chartSeries(page, 'cost');
    expect(cost[1]?.filter((value) => value !== null)).toContain(0);
    expect(await page.locator('#cost-note').innerText()).toBe('');
    // Drift of the last hour against the hour before: four requests, below every feature's minimum sample, so the
    // verdict is "insufficient", per feature and overall (never "drift" on too little data). The blocked request
    // never reached the model: 3 input token counts.
    expect(await page.locator('#drift-summary .verdict').innerText()).toBe('insufficient');
    expect(await page.locator('#drift-summary').innerText()).toMatch(/\(4 requests\) against the window before it/);
    const driftRows = await page.locator('#drift tbody tr').allInnerTexts();
    expect(driftRows.find((row) => row.startsWith('input_tokens'))).toMatch(
      /^input_tokens\s+numeric\s+-\s+0\s+3\s.*insufficient/,
    );
    expect(await page.locator('#drift tbody .verdict').count()).toBe(driftRows.length);
    // Drift per model: kettle-help's features with the topic and cited sources of its RAG answers (3 answered now
    // against the 30 of the hour before), and no unanswered topic yet (too few requests on any topic).
    const kettleDrift = page.locator('#model-drift article[data-model="kettle-help"]');
    expect(await kettleDrift.locator('h3').innerText()).toBe('kettle-help');
    expect(await kettleDrift.locator('p .verdict').innerText()).toBe('insufficient');
    const kettleRows = await kettleDrift.locator('.drift-features tbody tr').allInnerTexts();
    expect(kettleRows.find((row) => row.startsWith('topic'))).toMatch(
      /^topic\s+categorical\s+-\s+30\s+3\s.*insufficient/,
    );
    expect(kettleRows.find((row) => row.startsWith('cited_source'))).toMatch(
      /^cited_source\s+categorical\s+-\s+30\s+3\s/,
    );
    expect(await kettleDrift.locator('.topics-summary').innerText()).toMatch(/0 of 0 judged; no topic has 10 current/);
    expect(await kettleDrift.locator('.unanswered-topics tbody').innerText()).toBe('no unanswered topic');
    // No question text on the page.
    const text = await page.locator('body').innerText();
    for (const question of questions) expect(text).not.toContain(question);

    // Live: ten warranty questions the article cannot answer show up at the next refresh, without reloading the
    // page, and warranty.md becomes an unanswered topic (10 of its 12 requests refused, none of 30 the hour before).
    for (let index = 0; index < 10; index += 1)
      await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: unanswerable[index % 2] as string }],
      });
    await running.monitoring.queue.flush();
    await page.waitForFunction(
      () => {
        const dashboard = (globalThis as unknown as { llmopsDashboard: { charts: { requests: { data: number[][] } } } })
          .llmopsDashboard;
        return (dashboard.charts.requests.data[1] ?? []).reduce((sum, value) => sum + (value ?? 0), 0) === 14;
      },
      undefined,
      { timeout: 20_000 },
    );
    expect(Number(await page.locator('body').getAttribute('data-refreshes'))).toBeGreaterThan(1);
    expect(await kettleDrift.locator('.topics-summary').innerText()).toMatch(/1 of 1 judged/);
    const topicRow = await kettleDrift.locator('.unanswered-topics tbody tr').allInnerTexts();
    expect(topicRow).toHaveLength(1);
    expect(topicRow[0]).toMatch(/^warranty\.md\s+12\s+83\.3%\s+0% of 30\s/);
    expect(await kettleDrift.locator('.topic.unanswered').innerText()).toBe('warranty.md');
    const after = await page.locator('body').innerText();
    for (const question of unanswerable) expect(after).not.toContain(question);

    mkdirSync(join(workspaceRoot, 'test-output'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(statSync(screenshotPath).size).toBeGreaterThan(10_000);
    // No script error and no Content-Security-Policy violation (Chromium reports both on the console).
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('the dashboard without a key, in Debian Chromium', () => {
  let running: RunningLlmopsServer | undefined;
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  // The 2026-12-01 walkthrough: `llmops serve`'s dashboard opened without a key asked for "an admin API key" (a reader
  // key reads it) and, once dismissed, asked again as a modal dialog at every 5 s refresh.
  it('asks once for a reader or admin key; dismissed, the refreshes do not ask again and the page says how to', async () => {
    if (!existsSync(chromiumPath))
      throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set LLMOPS_CHROMIUM)`);
    running = await servedWorkspace();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    const page: Page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const dataRequests = (): Promise<unknown> =>
      page.waitForRequest((request) => request.url().includes('/api/v1/dashboard'), { timeout: 20_000 });
    const first = dataRequests();
    await page.goto(`${running.url}/dashboard`);
    await first;
    // The third read starts only after the second refresh (and any dialog it opened) is over.
    await dataRequests();
    await dataRequests();
    expect(dialogs).toEqual(['A reader or admin API key (llmops keys create --role reader):']);
    expect(await page.locator('#status').innerText()).toMatch(/needs an API key .*\(reload the page to type a key\)$/);
  }, 60_000);
});

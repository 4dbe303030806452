import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startMlflowServer } from '@llmops/mlflow-client/testing';
import type { MlflowServer } from '@llmops/mlflow-client/testing';
import {
  askServedModel,
  checkPage as checkPageAt,
  openConsoleBrowser,
  quickstartWorkspace,
  startConsole,
  workspaceRoot,
} from './__fixtures__/console-browser.js';
import type { QuickstartWorkspace, RunningConsole } from './__fixtures__/console-browser.js';

const screenshots = join(workspaceRoot, 'test-output', 'console-mlflow');

/** Checks the page at 1280 px (a screenshot under test-output/console-mlflow/, axe, no overflow). */
const checkPage = (page: Page, name: string) => checkPageAt(page, { name, screenshots, widths: [1280] });

interface ExampleDetail {
  index: number;
  trace_id: string | null;
}

interface TraceDetail {
  trace_id: string;
  model: string;
  spans: Array<{ name: string }>;
}

/**
 * The console on an MLflow store: the quickstart's registration, both evaluations and the promotion go through the
 * CLI with `--store <MLflow>`, `llmops --store <MLflow> ui` serves the console with anonymous loopback reads, and
 * Chromium reads runs, examples (with the trace each one's answer left in MLflow), traces, the comparison and the
 * registry from MLflow 3.17.2. The embedded store's test (console-ui.spec.ts) covers every page at two widths, the
 * keyboard and promotion; this one what differs on MLflow, at 1280 px.
 */
describe('the console on an MLflow store (llmops --store <MLflow> ui, Chromium)', () => {
  let mlflow: MlflowServer;
  let workspace: QuickstartWorkspace;
  let server: RunningConsole;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  const api = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${server.url.replace(/\/ui$/, '')}${path}`);
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    mlflow = await startMlflowServer({ workspaceRoot, backend: 'sqlite' });
    workspace = quickstartWorkspace({ store: mlflow.trackingUri });
    server = await startConsole(workspace.cwd, { store: mlflow.trackingUri });
    ({ browser, page, pageErrors } = await openConsoleBrowser());
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await mlflow?.stop();
  });

  it("keeps each evaluated example's trace id, and MLflow has that trace with its spans", async () => {
    const examples = await Promise.all(
      [0, 1, 29].map((index) => api<ExampleDetail>(`/api/v1/evaluations/${workspace.runs.improved}/examples/${index}`)),
    );
    for (const { status, body } of examples) {
      expect(status).toBe(200);
      expect(body.trace_id).toMatch(/^[0-9a-f]{32}$/);
    }
    const traces = await Promise.all(
      examples.map(({ body }) => api<TraceDetail>(`/api/v1/traces/${body.trace_id ?? ''}`)),
    );
    for (const [position, { status, body }] of traces.entries()) {
      expect(status).toBe(200);
      expect(body.trace_id).toBe(examples[position]?.body.trace_id);
      expect(body.model).toBe('support-rag/2');
      expect(body.spans.map((span) => span.name)).toEqual(expect.arrayContaining(['retrieve', 'generate']));
    }
  }, 60_000);

  it('lists both runs, shows the gate table, and opens an example with its passages and the trace that produced it', async () => {
    await page.goto(`${server.url}/runs`);
    const rows = page.locator('table.runs tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    await checkPage(page, 'runs');
    await page.locator(`a[href="/ui/runs/${workspace.runs.baseline}"]`).first().click();
    await page.waitForURL(`**/ui/runs/${workspace.runs.baseline}`);
    await page.locator('table.gates').waitFor();
    expect(await page.locator('table.gates tr.failed-row th').allTextContents()).toContain('contextual_relevancy.mean');
    await page.goto(`${server.url}/runs/${workspace.runs.improved}`);
    await page.locator('table.gates').waitFor();
    await page.locator('table.examples tbody tr').first().waitFor();
    await checkPage(page, 'run');
    await page.getByLabel('Search input, output, expected').fill('Team plan');
    await page.waitForURL(/q=Team\+plan|q=Team%20plan/);
    await page.locator('table.examples tbody tr a').first().click();
    await page.waitForURL(/\/examples\/\d+$/);
    await page.getByRole('heading', { name: 'Retrieved passages' }).waitFor();
    expect(await page.locator('.passage').count()).toBeGreaterThan(0);
    expect(await page.locator('.passage .score').first().textContent()).toMatch(/score \d\.\d{3}/);
    await checkPage(page, 'example');
    await page.getByRole('link', { name: 'open the trace' }).click();
    await page.waitForURL(/\/ui\/traces\/[0-9a-f]{32}$/);
    await page.locator('.waterfall .span-row').first().waitFor();
    expect(await page.locator('.waterfall .span-row').count()).toBeGreaterThan(1);
    expect(await page.locator('main').textContent()).toContain('support-rag/2');
    await checkPage(page, 'example-trace');
  }, 90_000);

  it('compares the two versions with deltas and their intervals', async () => {
    await page.goto(`${server.url}/compare?runs=${workspace.runs.baseline},${workspace.runs.improved}`);
    await page.locator('table.deltas tbody tr').first().waitFor();
    expect(await page.locator('table.deltas tbody tr').count()).toBeGreaterThan(3);
    expect(await page.locator('table.deltas').textContent()).toMatch(/\[[-+]\d\.\d{3}, [-+]\d\.\d{3}\]/);
    await page.locator('table.grid tbody tr').first().waitFor();
    await checkPage(page, 'compare');
  }, 60_000);

  it('shows a served request among the traces, with its spans', async () => {
    const response = await askServedModel(server);
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    // The served trace reaches MLflow from the server's batching queue within its flush interval (1 s).
    await page.goto(`${server.url}/traces`);
    await page.locator('table.traces tbody tr a').first().waitFor();
    let found = false;
    for (let attempt = 0; attempt < 20 && !found; attempt += 1) {
      const listed = await api<{ data: Array<{ request_id: string | null }> }>('/api/v1/traces?limit=100');
      found = listed.body.data.some((trace) => trace.request_id === requestId);
      if (!found) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(found).toBe(true);
    await page.reload();
    await page.locator('table.traces tbody tr a').first().waitFor();
    await checkPage(page, 'traces');
  }, 60_000);

  it('shows the registry: versions, aliases and the audit log of the promotion', async () => {
    await page.goto(`${server.url}/registry/models/support-rag`);
    await page.getByText('Aliases:').waitFor();
    expect(await page.getByText(/champion → version 2/).count()).toBeGreaterThan(0);
    expect(await page.getByText(/challenger → version 2/).count()).toBeGreaterThan(0);
    await page.locator('table.audit').getByText('grounded prompt answers more questions').first().waitFor();
    await checkPage(page, 'registry');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

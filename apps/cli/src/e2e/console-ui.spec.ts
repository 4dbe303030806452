/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The functions given to page.evaluate run in the browser, on its DOM.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  askServedModel,
  checkPage as checkPageAt,
  openConsoleBrowser,
  quickstartWorkspace,
  startConsole,
  workspaceRoot,
} from './__fixtures__/console-browser.js';
import type { QuickstartWorkspace, RunningConsole } from './__fixtures__/console-browser.js';
import { runLlmops } from './run-cli.js';

const screenshots = join(workspaceRoot, 'test-output', 'console');

/** Checks the page at 1280 px and 390 px (screenshots under test-output/console/, axe, no overflow). */
const checkPage = (page: Page, name: string) => checkPageAt(page, { name, screenshots });

describe('the console (llmops ui, Chromium)', () => {
  let workspace: QuickstartWorkspace;
  let server: RunningConsole;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    workspace = quickstartWorkspace();
    server = await startConsole(workspace.cwd);
    ({ browser, page, pageErrors } = await openConsoleBrowser());
  }, 110_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
  });

  it("lists the runs, filters them by model, and finds the promoted version's run", async () => {
    await page.goto(`${server.url}/runs`);
    const rows = page.locator('table.runs tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    await page.getByLabel('Model').fill('support-rag/2');
    await page.waitForURL(/model=support-rag%2F2/);
    await page.locator('table.runs tbody tr').nth(1).waitFor({ state: 'detached' });
    expect(await page.locator('table.runs tbody tr').count()).toBe(1);
    await checkPage(page, 'runs');
    // The promoted version's evidence links its run.
    await page.goto(`${server.url}/registry/models/support-rag`);
    await page.getByText('Aliases:').waitFor();
    expect(await page.getByText(/champion → version 2/).count()).toBeGreaterThan(0);
    await page.locator(`a[href="/ui/runs/${workspace.runs.improved}"]`).first().click();
    await page.waitForURL(`**/ui/runs/${workspace.runs.improved}`);
    await page.locator('table.gates').waitFor();
    await page.locator('.histogram').first().scrollIntoViewIfNeeded();
    await page.locator('.histogram canvas').first().waitFor();
    await checkPage(page, 'run');
    // Why the baseline was refused: its gate table shows the failed criteria, contextual relevancy among them.
    await page.goto(`${server.url}/runs/${workspace.runs.baseline}`);
    await page.locator('table.gates').waitFor();
    expect(await page.locator('table.gates tr.failed-row th').allTextContents()).toContain('contextual_relevancy.mean');
  }, 60_000);

  it('opens an example from the run page and shows its retrieved passages, scores and reasons', async () => {
    await page.goto(`${server.url}/runs/${workspace.runs.improved}`);
    await page.locator('table.examples tbody tr').first().waitFor();
    await page.getByLabel('Search input, output, expected').fill('Team plan');
    await page.waitForURL(/q=Team\+plan|q=Team%20plan/);
    await page.locator('table.examples tbody tr a').first().click();
    await page.waitForURL(/\/examples\/\d+$/);
    await page.getByRole('heading', { name: 'Retrieved passages' }).waitFor();
    expect(await page.locator('.passage').count()).toBeGreaterThan(0);
    expect(await page.locator('.passage .score').first().textContent()).toMatch(/score \d\.\d{3}/);
    expect(await page.locator('table.metrics tbody tr').count()).toBeGreaterThan(2);
    expect(await page.locator('pre.text').first().textContent()).toContain('Team plan');
    await checkPage(page, 'example');
  }, 60_000);

  it('compares the two versions: deltas with intervals, a chart, and the disagreement grid', async () => {
    await page.goto(`${server.url}/runs`);
    await page.locator('table.runs tbody tr').first().waitFor();
    // Baseline first, then the improved run.
    await page
      .getByLabel(/compare .*support-rag\/1|compare /)
      .nth(1)
      .check();
    await page
      .getByLabel(/compare /)
      .nth(0)
      .check();
    await page.getByRole('button', { name: /Compare 2 selected runs/ }).click();
    await page.waitForURL(/\/compare\?runs=/);
    await page.locator('table.deltas tbody tr').first().waitFor();
    expect(await page.locator('table.deltas tbody tr').count()).toBeGreaterThan(3);
    expect(await page.locator('table.deltas').textContent()).toMatch(/\[[-+]\d\.\d{3}, [-+]\d\.\d{3}\]/);
    await page.locator('figure .chart').first().scrollIntoViewIfNeeded();
    await page.locator('figure canvas').first().waitFor();
    await page.locator('table.grid tbody tr').first().waitFor();
    const all = await page.locator('table.grid tbody tr').count();
    await page.getByLabel('Disagreements only').check();
    await page.waitForURL(/disagree=true/);
    await page.waitForFunction(
      () =>
        document.querySelectorAll('table.grid tbody tr').length ===
        document.querySelectorAll('table.grid tbody tr.disagree').length,
    );
    expect(await page.locator('table.grid tbody tr:not(.disagree)').count()).toBe(0);
    expect(await page.locator('table.grid tbody tr').count()).toBeLessThanOrEqual(all);
    await checkPage(page, 'compare');
  }, 60_000);

  it('shows the trace of a served request with its span waterfall', async () => {
    const response = await askServedModel(server);
    expect(response.status).toBe(200);
    await page.goto(`${server.url}/traces`);
    await page.locator('table.traces tbody tr a').first().waitFor({ timeout: 20_000 });
    await page.locator('table.traces tbody tr a').first().click();
    await page.waitForURL(/\/ui\/traces\/[^/]+$/);
    await page.locator('.waterfall .span-row').first().waitFor();
    expect(await page.locator('.waterfall .span-row').count()).toBeGreaterThan(1);
    await checkPage(page, 'trace');
  }, 60_000);

  it('promotes and rolls back with an admin key typed by the user, with a confirmation and a reason, never showing the key', async () => {
    const created = runLlmops(['--json', 'keys', 'create', '--role', 'admin', '--name', 'console-e2e'], {
      cwd: workspace.cwd,
    });
    expect(created.status).toBe(0);
    const key = (JSON.parse(created.stdout) as { apiKey: string }).apiKey;
    await page.goto(`${server.url}/registry/models/support-rag`);
    await page.getByRole('heading', { name: 'Promote or roll back' }).waitFor();
    expect(await page.getByRole('button', { name: 'Promote…' }).isDisabled()).toBe(true);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByText('API key set for this tab').waitFor();
    await page.getByLabel('Version', { exact: true }).selectOption('1');
    await page.getByLabel('Force (skip the promotion policy)').check();
    await page.getByRole('button', { name: 'Promote…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Confirm' }).isDisabled()).toBe(true);
    await dialog.getByLabel(/Reason/).fill('compare the baseline live for an hour');
    await checkPage(page, 'promote-dialog');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Promoted support-rag/1 to "champion".').waitFor();
    await page
      .getByText(/champion → version 1/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Roll back…' }).click();
    await dialog.getByLabel(/Reason/).fill('the hour is over');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Rolled back "champion" of support-rag to version 2.').waitFor();
    await page
      .getByText(/champion → version 2/)
      .first()
      .waitFor();
    await page.locator('table.audit').getByText('the hour is over').first().waitFor();
    await checkPage(page, 'registry');
    // The key was typed, used, and never rendered: not in the page, not in its fields.
    expect(await page.content()).not.toContain(key);
    expect(
      await page.evaluate(() => [...document.querySelectorAll('input')].map((input) => input.value)),
    ).not.toContain(key);
  }, 60_000);

  it('refuses a bad --port with exit 2, naming the flag and what it expects', () => {
    const run = runLlmops(['ui', '--port', 'eighty'], { cwd: workspace.cwd });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--port "eighty" is not a port number; expected a whole number from 0 to 65535');
  });

  it('opens on live monitoring, keyboard first: a skip link, then the sections', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Live monitoring' }).waitFor();
    await page.locator('.tiles').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Runs');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/runs');
    await page.goto(`${server.url}/`);
    await page.locator('.tiles').waitFor();
    await checkPage(page, 'home');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

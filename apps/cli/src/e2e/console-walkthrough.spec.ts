/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// A product owner's questions to the console after the quickstart's whole loop (wiki/Console.md, "A product owner's
// walkthrough"): why is this version champion, how did the two versions compare, what did the drift alert do, what do
// the SLOs say, and what a rollback or a refused promotion would do. The functions given to page.evaluate run in the
// browser.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  checkPage as checkPageAt,
  openConsoleBrowser,
  startConsole,
  workspaceRoot,
} from './__fixtures__/console-browser.js';
import type { RunningConsole } from './__fixtures__/console-browser.js';
import { runLlmops } from './run-cli.js';

const screenshots = join(workspaceRoot, 'test-output', 'console-walkthrough');

/** Checks the page at 1280 px and 390 px (screenshots under test-output/console-walkthrough/, axe, no overflow). */
const checkPage = (page: Page, name: string) => checkPageAt(page, { name, screenshots });

describe("the console after the quickstart's loop, as a product owner reads it (Chromium)", () => {
  let cwd: string;
  let server: RunningConsole;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    // What the README tells a new user: a copy of confs/ and the quickstart's pipeline (register, evaluate, compare and
    // promote v2, traffic, drift, the alert's re-evaluation and rollback to v1).
    cwd = mkdtempSync(join(tmpdir(), 'llmops-po-walk-'));
    cpSync(join(workspaceRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
    const quickstart = runLlmops(['run', 'confs/pipeline.yaml'], { cwd });
    if (quickstart.status !== 0)
      throw new Error(`the quickstart exited with ${quickstart.status}: ${quickstart.stderr}`);
    server = await startConsole(cwd);
    ({ browser, page, pageErrors } = await openConsoleBrowser());
  }, 110_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
  });

  it('shows the runs a forced promotion rests on, by version and dataset, with a link to compare each pair', async () => {
    await page.goto(`${server.url}/registry/models/support-rag`);
    const promotions = page.locator('ol.promotions > li');
    await promotions.first().waitFor();
    const promotion = promotions.filter({ hasText: 'promote “champion”: 1 → 2' });
    expect(await promotion.textContent()).toContain('(forced past the promotion policy)');
    expect(await promotion.locator('.evidence-list a[href^="/ui/runs/"]').allTextContents()).toEqual([
      'support-rag/1 on support-qa',
      'support-rag/2 on support-qa',
      'support-rag/1 on manual-qa',
      'support-rag/2 on manual-qa',
    ]);
    await promotion.getByRole('link', { name: 'compare the two runs on support-qa' }).click();
    await page.waitForURL(/\/ui\/compare\?runs=/);
    await page.locator('table.deltas tbody tr').first().waitFor();
  }, 60_000);

  it('says of each delta whether it is better, worse or within noise, as llmops eval compare does', async () => {
    // The page the promotion's link opened: v1 (the baseline) against v2 on the help-center questions.
    const verdictOf = async (metric: string) =>
      page
        .locator('table.deltas tbody tr')
        .filter({ has: page.locator('th', { hasText: new RegExp(`^${metric}$`) }) })
        .locator('td .badge')
        .textContent();
    expect(await verdictOf('contextual_relevancy')).toBe('better');
    expect(await verdictOf('context_recall')).toBe('worse');
    expect(await verdictOf('hit_rate_at_1')).toBe('within noise');
    // Lower is better for tokens: v2 sends fewer to the model (latency is timing, so not asserted).
    expect(await verdictOf('input_tokens')).toBe('better');
    await checkPage(page, 'compare');
  }, 60_000);

  it('says what the drift alert did: the runs it re-evaluated and the rollback from version 2 to 1', async () => {
    await page.goto(`${server.url}/`);
    const alert = page.locator('ul.alerts > li').filter({ hasText: 'drift-rollback' });
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(/2 of 2 tested features drifted \(question_length, question\)/);
    expect(text).toContain('moved champion from version 2 to version 1');
    expect(await alert.locator('a[href^="/ui/runs/"]').allTextContents()).toEqual([
      'version 2 on confs/data/eval/support-qa.jsonl',
      'version 2 on confs/data/eval/manual-qa.jsonl',
    ]);
    expect(await alert.locator('a[href="/ui/registry/models/support-rag"]').count()).toBe(1);
  }, 60_000);

  it('gives each SLO its value in each window, and says why drift could not be measured', async () => {
    const refusals = page.locator('ul.slos > li').filter({ hasText: 'refusal_rate' });
    // 61 of the 65 requests were refused: 60 drifted questions declined, one harmful prompt blocked.
    expect(await refusals.locator('.slo-windows li').allTextContents()).toEqual([
      expect.stringMatching(/^last 1h: 93\.8% \(61 of 65 counted against it\), above 30%$/),
      expect.stringMatching(/^last 24h: 93\.8% \(61 of 65 counted against it\), above 30%$/),
    ]);
    const latency = page.locator('ul.slos > li').filter({ hasText: 'latency_p95' });
    expect(await latency.locator('.slo-windows li').first().textContent()).toMatch(/^last 1h: p95 \d+ ms \(0 of 65/);
    // The hour before the quickstart had no traffic: the verdict says so instead of a bare "insufficient".
    expect(await page.locator('ul.drift li').filter({ hasText: 'support-rag:' }).textContent()).toMatch(
      /not enough traffic to compare: 64 requests in the last hour against 0 the hour before/,
    );
    await checkPage(page, 'home');
  }, 60_000);

  it('names the versions a rollback moves, and offers none when there is nothing to roll back to', async () => {
    const created = runLlmops(['--json', 'keys', 'create', '--role', 'admin', '--name', 'po-walk'], { cwd });
    expect(created.status).toBe(0);
    const key = (JSON.parse(created.stdout) as { apiKey: string }).apiKey;
    await page.goto(`${server.url}/registry/models/support-rag`);
    await page.getByRole('heading', { name: 'Promote or roll back' }).waitFor();
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByText('API key set for this tab').waitFor();
    // The alert's rollback used up previous-champion: nothing to roll back to, and the page says why.
    expect(await page.getByRole('button', { name: 'Roll back…' }).isDisabled()).toBe(true);
    expect(await page.locator('#rollback-hint').textContent()).toContain(
      'Nothing to roll back: "champion" (version 1) has no previous version',
    );
    // A refused promotion lists each failed criterion on its own line.
    await page.getByLabel('Version', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Promote…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Reason/).fill('v2 again');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    const lines = (await refusal.innerText()).split('\n');
    expect(lines[0]).toMatch(/refused by policy "default": 8 of 28 criteria failed$/);
    expect(lines.slice(1).every((line) => line.startsWith('- on '))).toBe(true);
    expect(lines).toHaveLength(9);
    await checkPage(page, 'promotion-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Forced, then rolled back: the dialog and the outcome name both versions.
    await page.getByLabel('Force (skip the promotion policy)').check();
    await page.getByRole('button', { name: 'Promote…' }).click();
    await dialog.getByLabel(/Reason/).fill('v2 live for an hour');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Promoted support-rag/2 to "champion".').waitFor();
    await page.getByText('Roll back moves "champion" from version 2 back to version 1.').waitFor();
    await page.getByRole('button', { name: 'Roll back…' }).click();
    expect(await dialog.getByRole('heading').textContent()).toBe(
      'Roll back "champion" of support-rag from version 2 to version 1?',
    );
    await dialog.getByLabel(/Reason/).fill('the hour is over');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Rolled back "champion" of support-rag to version 1.').waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

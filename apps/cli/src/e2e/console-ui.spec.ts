/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The functions given to page.evaluate run in the browser, on its DOM.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { childEnv, llmopsBin, runLlmops } from './run-cli.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
const chromiumPath = process.env['LLMOPS_CHROMIUM'] ?? '/usr/bin/chromium';
const workspaceRoot = join(__dirname, '..', '..', '..', '..');
const screenshots = join(workspaceRoot, 'test-output', 'console');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The quickstart's registration and both versions' evaluation, on the first 30 help-center questions (the dataset keeps
 * its name, support-qa, so the promotion policy reads the runs as evidence; 30 keep the suite short): version 2 is
 * then promoted to champion, forced past the policy as the offline judge's scores fail it, with its evidence attached.
 */
function quickstartWorkspace(): { cwd: string; runs: { baseline: string; improved: string } } {
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-console-'));
  cpSync(join(workspaceRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
  const dataset = join(cwd, 'confs/data/eval/support-qa.jsonl');
  writeFileSync(dataset, `${readFileSync(dataset, 'utf8').split('\n').slice(0, 30).join('\n')}\n`);
  // Exit 100: a gate failed, which the offline judge's relevancy makes the case for both versions (as in the quickstart).
  const llmops = (args: string[]) => {
    const run = runLlmops(args, { cwd });
    if (run.status !== 0 && run.status !== 100)
      throw new Error(`llmops ${args.join(' ')} exited with ${run.status}: ${run.stderr}`);
    return run;
  };
  llmops(['run', 'confs/register.yaml']);
  const evaluate = (model: string) => {
    const run = llmops([
      '--json',
      'eval',
      'run',
      '--model',
      model,
      '--dataset',
      'confs/data/eval/support-qa.jsonl',
      '--gate',
      'confs/gates.yaml',
    ]);
    return (JSON.parse(run.stdout) as { run: { id: string } }).run.id;
  };
  const baseline = evaluate('support-rag/1');
  const improved = evaluate('support-rag/2');
  llmops(['models', 'promote', 'support-rag', '2', '--force', '--reason', 'grounded prompt answers more questions']);
  return { cwd, runs: { baseline, improved } };
}

/** Starts `llmops ui --port 0` and resolves with the console's URL once it prints it. */
function startConsole(cwd: string): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [llmopsBin, 'ui', '--port', '0'], {
    cwd,
    // The served request of the trace test comes without a key, as the openai client's placeholder would.
    env: childEnv({ LLMOPS_ANONYMOUS_INFERENCE: 'true' }),
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`llmops ui did not start within 30 s: ${stderr}`)), 30_000);
    const onOutput = (text: string) => {
      stderr += text;
      const url = /the console is at (http:\/\/\S+\/ui)/.exec(stderr)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    child.on('exit', (status) => reject(new Error(`llmops ui exited with ${status}: ${stderr}`)));
  });
}

/** The serious and critical accessibility violations axe-core finds on the page as it is. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
          ) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      targets: violation.nodes.map((node) => node.target.join(' ')).slice(0, 3),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.targets.join(', ')}`);
}

/** Scrolls the page down a window at a time and back, so that every chart (drawn when it comes into view) is drawn. */
async function scrollThrough(page: Page): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const step = page.viewportSize()?.height ?? 800;
  for (let top = 0; top < height; top += step) {
    await page.evaluate((y) => window.scrollTo(0, y), top);
    await page.waitForTimeout(30);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Checks the page at both widths (1280 px and a 390 px phone), with a screenshot of each and axe at each. */
async function checkPage(page: Page, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 1280 ? 900 : 844 });
    await scrollThrough(page);
    await page.screenshot({ path: join(screenshots, `${name}-${width}.png`), fullPage: true });
    expect([name, width, await seriousViolations(page)]).toEqual([name, width, []]);
    // Nothing wider than the window but the tables' own scrolling boxes.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect([name, width, overflow <= 1]).toEqual([name, width, true]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('the console (llmops ui, Chromium)', () => {
  let workspace: ReturnType<typeof quickstartWorkspace>;
  let server: { child: ChildProcessWithoutNullStreams; url: string };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(chromiumPath))
      throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set LLMOPS_CHROMIUM)`);
    mkdirSync(screenshots, { recursive: true });
    workspace = quickstartWorkspace();
    server = await startConsole(workspace.cwd);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    // axe-core is injected as an inline script, which the console's Content-Security-Policy rightly refuses.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
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
    const response = await fetch(`${server.url.replace(/\/ui$/, '')}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'support-rag@champion',
        messages: [{ role: 'user', content: 'How much does the Team plan cost per user?' }],
      }),
    });
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
    await page.getByText('Rolled back "champion" of support-rag.').waitFor();
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

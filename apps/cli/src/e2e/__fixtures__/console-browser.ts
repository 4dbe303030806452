/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// What the console's browser tests share (the embedded store's and MLflow's): the quickstart's workspace, `llmops ui`,
// Debian's Chromium and the checks every page gets. The functions given to page.evaluate run in the browser.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { childEnv, llmopsBin, runLlmops } from '../run-cli.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
const chromiumPath = process.env['LLMOPS_CHROMIUM'] ?? '/usr/bin/chromium';
/** The monorepo's root. */
export const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The quickstart's workspace with both versions evaluated and version 2 promoted. */
export interface QuickstartWorkspace {
  cwd: string;
  runs: { baseline: string; improved: string };
}

/**
 * The quickstart's registration and both versions' evaluation, on the first 30 help-center questions (the dataset keeps
 * its name, support-qa, so the promotion policy reads the runs as evidence; 30 keep the suite short): version 2 is
 * then promoted to champion, forced past the policy as the offline judge's scores fail it, with its evidence attached.
 * Every command runs on `store` when given (an MLflow tracking URI), on the embedded store otherwise.
 */
export function quickstartWorkspace(options: { store?: string } = {}): QuickstartWorkspace {
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-console-'));
  cpSync(join(workspaceRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
  const dataset = join(cwd, 'confs/data/eval/support-qa.jsonl');
  writeFileSync(dataset, `${readFileSync(dataset, 'utf8').split('\n').slice(0, 30).join('\n')}\n`);
  const storeArgs = options.store ? ['--store', options.store] : [];
  // Exit 100: a gate failed, which the offline judge's relevancy makes the case for both versions (as in the quickstart).
  const llmops = (args: string[]) => {
    const run = runLlmops([...storeArgs, ...args], { cwd });
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

/** A running `llmops ui` and the console's URL (`http://127.0.0.1:<port>/ui`). */
export interface RunningConsole {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

/**
 * Starts `llmops [--store STORE] ui --port 0` and resolves with the console's URL once it prints it.
 * The served requests of the trace tests come without a key, as the openai client's placeholder would.
 */
export function startConsole(cwd: string, options: { store?: string } = {}): Promise<RunningConsole> {
  const storeArgs = options.store ? ['--store', options.store] : [];
  const child = spawn(process.execPath, [llmopsBin, ...storeArgs, 'ui', '--port', '0'], {
    cwd,
    env: childEnv({ LLMOPS_ANONYMOUS_INFERENCE: 'true' }),
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`llmops ui did not start within 30 s: ${output}`)), 30_000);
    const onOutput = (text: string) => {
      output += text;
      const url = /the console is at (http:\/\/\S+\/ui)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    child.on('exit', (status) => reject(new Error(`llmops ui exited with ${status}: ${output}`)));
  });
}

/** Asks the running console's server one question of the help center through `/v1/chat/completions`, without a key. */
export function askServedModel(running: RunningConsole): Promise<Response> {
  return fetch(`${running.url.replace(/\/ui$/, '')}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'support-rag@champion',
      messages: [{ role: 'user', content: 'How much does the Team plan cost per user?' }],
    }),
  });
}

/**
 * Launches Debian's Chromium headless with one page at 1280 × 900; the page's errors are collected in `pageErrors`.
 * @throws Error when there is no Chromium at `/usr/bin/chromium` (or `LLMOPS_CHROMIUM`).
 */
export async function openConsoleBrowser(): Promise<{ browser: Browser; page: Page; pageErrors: string[] }> {
  if (!existsSync(chromiumPath))
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set LLMOPS_CHROMIUM)`);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  // axe-core is injected as an inline script, which the console's Content-Security-Policy rightly refuses.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { browser, page, pageErrors };
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

/**
 * Checks the page at the given widths (1280 px and a 390 px phone by default): a screenshot of each under
 * `screenshots`, axe-core with no serious or critical violation, and nothing wider than the window.
 */
export async function checkPage(
  page: Page,
  options: { name: string; screenshots: string; widths?: readonly number[] },
): Promise<void> {
  const { name, screenshots } = options;
  mkdirSync(screenshots, { recursive: true });
  for (const width of options.widths ?? [1280, 390]) {
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

import { chromium } from 'playwright-core';
const base = process.argv[2] ?? 'http://127.0.0.1:18103';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
const problems = [];
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${page.url()} console.${m.type()}: ${m.text()}`); });
page.on('pageerror', (e) => problems.push(`${page.url()} pageerror: ${e.message}`));
page.on('response', (r) => { if (r.status() >= 400) problems.push(`${page.url()} HTTP ${r.status()} ${r.url()}`); });
async function visit(path) {
  await page.goto(base + path, { waitUntil: 'networkidle' });
  await page.waitForTimeout(800);
  const text = (await page.locator('main, body').first().innerText()).replace(/\s+/g, ' ').slice(0, 300);
  console.log('PAGE', path, '|', text);
}
await visit('/ui/');
await visit('/ui/runs');
const runHref = await page.locator('a[href^="/ui/runs/"]').first().getAttribute('href').catch(() => null);
console.log('run link', runHref);
if (runHref) { await visit(runHref); const ex = await page.locator('a[href*="/examples/"]').first().getAttribute('href').catch(() => null); if (ex) await visit(ex);
  const tr = await page.locator('a[href^="/ui/traces/"]').first().getAttribute('href').catch(() => null); if (tr) await visit(tr); }
await visit('/ui/registry');
await visit('/ui/registry/models/support-rag');
await visit('/ui/registry/prompts/support-answer');
await visit('/ui/traces');
const trHref = await page.locator('a[href^="/ui/traces/"]').first().getAttribute('href').catch(() => null);
if (trHref) await visit(trHref);
const ids = await page.evaluate(async () => (await (await fetch('/api/v1/evaluations?limit=2')).json()).data.map((r) => r.id));
await visit(`/ui/compare?runs=${ids.join(',')}`);
await visit('/ui/nonexistent');
await visit('/dashboard');
await visit('/docs');
console.log('PROBLEMS', problems.length); for (const p of problems) console.log(p);
await browser.close();

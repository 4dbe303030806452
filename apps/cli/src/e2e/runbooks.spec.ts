import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, llmopsBin, runLlmops } from './run-cli.js';

const root = join(__dirname, '..', '..', '..', '..');

/** The `bash` blocks of one `## <title>` section of wiki/Runbooks.md, in order. */
function runbookBlocks(title: string): string[] {
  const text = readFileSync(join(root, 'wiki', 'Runbooks.md'), 'utf8');
  const start = text.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`wiki/Runbooks.md has no section "## ${title}"`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

/**
 * Runs a runbook block in bash as a reader pastes it, stopping at the first failing line (`set -e`): `npx llmops`
 * is the built bin of this workspace (a shell function stands in for npx), the rest of the block runs as written.
 */
function runBlock(block: string, options: { cwd: string; env?: Record<string, string> }) {
  const script = [
    'set -euo pipefail',
    `npx() { if [ "$1" = llmops ]; then shift; "${process.execPath}" "${llmopsBin}" "$@"; else command npx "$@"; fi; }`,
    block,
  ].join('\n');
  return spawnSync('bash', ['-c', script], {
    cwd: options.cwd,
    env: childEnv(options.env) as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/**
 * The runbooks' commands are parsed by docs-commands.spec.ts; here the blocks of the runbooks that change state run
 * for real, as written, in a copy of the shipped workspace: a rollback and a key rotation.
 */
describe('wiki/Runbooks.md, run as written (built bin, a copy of the shipped workspace)', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'llmops-runbooks-'));
    cpSync(join(root, 'confs'), join(cwd, 'confs'), { recursive: true });
    copyFileSync(join(root, 'llmops.yaml'), join(cwd, 'llmops.yaml'));
    for (const args of [
      ['run', 'confs/register.yaml'],
      ['models', 'promote', 'support-rag', '1', '--force', '--reason', 'runbook test: first champion'],
    ]) {
      const run = runLlmops(args, { cwd });
      if (run.status !== 0) throw new Error(`llmops ${args.join(' ')} exited with ${run.status}: ${run.stderr}`);
    }
  }, 120_000);
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  const champion = () => {
    const shown = runLlmops(['--json', 'models', 'show', 'support-rag@champion'], { cwd });
    expect(shown.status).toBe(0);
    return (JSON.parse(shown.stdout) as { version: number }).version;
  };

  it('"Promote": the forced promotion block moves champion to version 2', () => {
    const forced = runbookBlocks('Promote').find((block) => block.includes('--force'));
    expect(forced).toBeDefined();
    const run = runBlock(forced as string, { cwd });
    expect(`${run.status} ${run.stderr}`).toBe('0 ');
    expect(champion()).toBe(2);
  }, 120_000);

  it('"Roll back": the block moves champion back to version 1 and the audit shows the rollback', () => {
    expect(champion()).toBe(2);
    const [block] = runbookBlocks('Roll back');
    const run = runBlock(block as string, { cwd });
    expect(`${run.status} ${run.stderr}`).toBe('0 ');
    expect(champion()).toBe(1);
    expect(run.stdout).toContain('p95 latency regression');
  }, 120_000);

  it('"Key rotation": lists, rotates and revokes a key, and creates one with limits', () => {
    const created = runLlmops(['--json', 'keys', 'create', '--role', 'inference', '--name', 'leaked'], { cwd });
    expect(created.status).toBe(0);
    const { key, apiKey } = JSON.parse(created.stdout) as { key: { id: string }; apiKey: string };
    const [block] = runbookBlocks('Key rotation');
    const run = runBlock(block as string, { cwd, env: { KEY_ID: key.id } });
    expect(`${run.status} ${run.stderr}`).toBe('0 ');
    // The rotation printed a new secret for the same id, never the old one.
    expect(run.stdout).toMatch(new RegExp(`${key.id}`));
    expect(run.stdout).not.toContain(apiKey);
    const listed = runLlmops(['--json', 'keys', 'list'], { cwd });
    const keys = JSON.parse(listed.stdout) as Array<{ id: string; name: string; revokedAt?: unknown; limits: object }>;
    expect(keys.find((entry) => entry.id === key.id)?.revokedAt).toBeTruthy();
    expect(keys.find((entry) => entry.name === 'support widget')?.limits).toEqual({ rpm: 60, budgetUsdDay: 5 });
  }, 120_000);
});

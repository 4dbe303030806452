import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runLlmops, runLlmopsAsync } from './run-cli.js';
import { exited, startServing } from './serving-workspace.js';

const workspaceConfs = resolve(__dirname, '..', '..', '..', '..', 'confs');

interface GateVerdict {
  criterion: string;
  value: number | null;
  passed: boolean;
}
interface StoredRun {
  target: { kind: string };
  summary: { examples: number; targetErrors: number; aggregates: Record<string, { count: number; mean: number }> };
  gates: { passed: boolean; verdicts: GateVerdict[] };
  id: string;
}

/** The gated numbers of a run, without latency (HTTP adds its own time to every answer). */
function qualityVerdicts(run: StoredRun): Array<[string, number | null, boolean]> {
  return run.gates.verdicts
    .filter((verdict) => !verdict.criterion.startsWith('latency'))
    .map((verdict) => [verdict.criterion, verdict.value, verdict.passed]);
}

describe('llmops eval run --endpoint against llmops serve (the shipped support model on loopback)', () => {
  const workdir = mkdtempSync(join(tmpdir(), 'llmops-eval-endpoint-'));
  symlinkSync(workspaceConfs, join(workdir, 'confs'));
  symlinkSync(join(workspaceConfs, 'data'), join(workdir, 'data'));
  // The workspace's confs are a symbolic link to the repository's: its folder is a declared data root.
  const dataRoots = { LLMOPS_DATA_ROOTS: workspaceConfs };
  const run = (...args: string[]) => runLlmops(args, { cwd: workdir, env: dataRoots });

  it('gets the retrieval context and guardrail refusals over HTTP, and scores exactly as the in-process run', async () => {
    expect(run('run', 'confs/register.yaml').status).toBe(0);
    expect(run('models', 'promote', 'support-rag', '2', '--force', '--reason', 'endpoint evaluation').status).toBe(0);
    const evaluation = ['--dataset', 'confs/data/eval/support-qa.jsonl', '--gate', 'confs/gates.yaml'];
    const inProcess = run('--json', 'eval', 'run', '--model', 'support-rag@champion', ...evaluation);
    expect([0, 100]).toContain(inProcess.status);

    const { child, url } = await startServing(['serve', '--port', '0', '--quiet'], workdir, dataRoots);
    const exit = exited(child);
    let served;
    try {
      served = await runLlmopsAsync(
        ['--json', 'eval', 'run', '--endpoint', `${url}/v1`, '--endpoint-model', 'support-rag@champion', ...evaluation],
        { cwd: workdir, env: dataRoots },
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
    expect([0, 100]).toContain(served.status);
    const [local, remote] = [inProcess, served].map((result) => (JSON.parse(result.stdout) as { run: StoredRun }).run);
    expect(remote?.target.kind).toBe('endpoint');
    // Guardrail blocks (HTTP 400 guardrail_blocked on the adversarial examples) are refusals, not target errors.
    expect(remote?.summary).toMatchObject({ examples: 101, targetErrors: 0 });
    // The served answers carry their passages, so the context metrics are computed on every answerable example.
    for (const metric of ['contextual_relevancy', 'faithfulness', 'hit_rate_at_1', 'mrr'])
      expect(remote?.summary.aggregates[metric]?.count).toBeGreaterThan(60);
    expect(remote?.summary.aggregates['refusal_correctness']?.count).toBe(
      local?.summary.aggregates['refusal_correctness']?.count,
    );
    // Same passages, same answers, same judge: every gated quality number matches the in-process run.
    expect(qualityVerdicts(remote as StoredRun)).toEqual(qualityVerdicts(local as StoredRun));
    const blocked = JSON.parse(run('eval', 'report', remote?.id ?? '', '--format', 'json').stdout) as {
      results: Array<{ exampleId: string; output: string; metrics: Record<string, { score?: number | null }> }>;
    };
    const refusals = blocked.results.filter((result) => result.output.startsWith('This request was blocked'));
    expect(refusals.length).toBeGreaterThan(10);
    for (const refusal of refusals) expect(refusal.metrics['refusal_correctness']?.score).toBe(1);
  }, 300_000);
});

import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLlmopsAsync } from './run-cli.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

describe('the quickstart pipeline (npm run quickstart), on a fresh copy of confs/', () => {
  it('registers, evaluates both versions on both datasets against the gates, judges promotion on both, smoke-tests the challenger, and exits 0', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-quickstart-'));
    cpSync(join(workspaceRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
    const result = await runLlmopsAsync(['run', 'confs/pipeline.yaml'], { cwd });
    expect([result.status, result.stderr.split('\n').filter((line) => line.startsWith('error'))]).toEqual([0, []]);
    const output = result.stdout + result.stderr;
    expect(output).toContain('model support-rag: version 2 registered (confs/models/support-rag-improved.yaml)');
    // Each candidate's gate table, on each dataset, shows contextual relevancy beside the metrics it is paired with.
    for (const metric of ['contextual_relevancy', 'hit_rate_at_5', 'answer_correctness', 'answer_rate']) {
      expect(output.match(new RegExp(`(pass|FAIL) {2}${metric}\\.mean`, 'g'))).toHaveLength(4);
    }
    const runLine = (job: number, run: string, examples: number) =>
      new RegExp(`\\[${job}/7\\] evaluate: run [0-9a-f]{32}: ${run}, ${examples} examples`);
    expect(output).toMatch(runLine(3, 'support-rag/1 on support-qa', 101));
    expect(output).toMatch(runLine(4, 'support-rag/1 on manual-qa', 136));
    expect(output).toMatch(runLine(5, 'support-rag/2 on support-qa', 101));
    expect(output).toMatch(runLine(6, 'support-rag/2 on manual-qa', 136));
    // Promotion is judged once per version, on the evidence of both datasets.
    expect(
      output.match(/promotion of support-rag\/\d to "champion" (refused|allowed)|promoted support-rag\/\d/g),
    ).not.toBeNull();
    expect(output).toMatch(/on manual-qa: [a-z_]+\.mean|promoted/);
    expect(output).toContain('2 question(s) answered, 1 harmful prompt(s) refused');
    expect(output).toContain('pipeline: 7 job(s) done');
  }, 240_000);
});

import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLlmopsAsync } from './run-cli.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

describe('the quickstart pipeline (npm run quickstart), on a fresh copy of confs/', () => {
  it('registers, evaluates both versions against the gates, judges promotion, smoke-tests the challenger, and exits 0', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-quickstart-'));
    cpSync(join(workspaceRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
    const result = await runLlmopsAsync(['run', 'confs/pipeline.yaml'], { cwd });
    expect([result.status, result.stderr.split('\n').filter((line) => line.startsWith('error'))]).toEqual([0, []]);
    const output = result.stdout + result.stderr;
    expect(output).toContain('model support-rag: version 2 registered (confs/models/support-rag-improved.yaml)');
    // Each candidate's gate table shows contextual relevancy beside the metrics it is paired with.
    for (const metric of ['contextual_relevancy', 'hit_rate_at_5', 'answer_correctness', 'answer_rate']) {
      expect(output.match(new RegExp(`(pass|FAIL) {2}${metric}\\.mean`, 'g'))).toHaveLength(2);
    }
    expect(output).toMatch(/\[3\/5\] evaluate: run [0-9a-f]{32}: support-rag\/1 on support-qa, 101 examples/);
    expect(output).toMatch(/\[4\/5\] evaluate: run [0-9a-f]{32}: support-rag\/2 on support-qa, 101 examples/);
    expect(output).toContain('2 question(s) answered, 1 harmful prompt(s) refused');
    expect(output).toContain('pipeline: 5 job(s) done');
  }, 240_000);
});

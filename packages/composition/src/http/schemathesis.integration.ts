import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const workspaceRoot = resolve(__dirname, '../../../..');

/** Runs a command to its end and answers its exit code and combined output. */
function runToEnd(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('schemathesis against GET /openapi.json of a running llmops API (short run)', () => {
  it('finds no 5xx and no answer off its documented schema, status or content type', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'llmops-schemathesis-'));
    const { code, output } = await runToEnd('bash', [
      'tools/schemathesis/run.sh',
      '--max-examples',
      '5',
      '--seed',
      '16',
      '--report-dir',
      reports,
    ]);
    expect([code, code === 0 ? '' : output]).toEqual([0, '']);
    const cases = /(\d+) generated, (\d+) passed/.exec(output);
    expect(cases).not.toBeNull();
    expect(Number(cases?.[1])).toBeGreaterThan(500);
    expect(cases?.[2]).toBe(cases?.[1]);
    // The JUnit report holds one test case per operation, none failed.
    const junit = readdirSync(reports).find((file) => file.startsWith('junit'));
    const xml = readFileSync(join(reports, junit as string), 'utf8');
    expect(xml).toMatch(/<testcase /);
    expect(xml).not.toMatch(/<failure/);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLlmops } from './run-cli.js';

/**
 * Files the operator names directly (confs given to `llmops run` and the files they reference, `--context-file`,
 * the start-up files of `llmops serve`, an `--out` file) are confined like the files a spec names: a symbolic link
 * out of the workspace is refused with exit 2, naming the file and the allowed folders, never quoting the file.
 */
const outsideContent = 'OUTSIDE-CONTENT-never-quoted';
const outside = mkdtempSync(join(tmpdir(), 'llmops-operator-outside-'));
writeFileSync(join(outside, 'serve.yaml'), `# ${outsideContent}\njob:\n  kind: doctor\n`);
writeFileSync(join(outside, 'notes.md'), `${outsideContent}: refunds take 14 days.\n`);
writeFileSync(join(outside, 'policy.yaml'), `# ${outsideContent}\nrequire: []\n`);
writeFileSync(join(outside, 'questions.jsonl'), `{"id":"1","input":"${outsideContent}"}\n`);

const cwd = mkdtempSync(join(tmpdir(), 'llmops-operator-files-'));
mkdirSync(join(cwd, 'confs'));
symlinkSync(join(outside, 'serve.yaml'), join(cwd, 'confs', 'linked.yaml'));
symlinkSync(join(outside, 'notes.md'), join(cwd, 'notes.md'));
symlinkSync(join(outside, 'policy.yaml'), join(cwd, 'policy.yaml'));
symlinkSync(join(outside, 'questions.jsonl'), join(cwd, 'questions.jsonl'));
symlinkSync(outside, join(cwd, 'out'));
writeFileSync(join(cwd, 'confs', 'doctor.yaml'), 'job:\n  kind: doctor\n');
writeFileSync(join(cwd, 'confs', 'serve-linked.yaml'), 'job:\n  kind: serve\n  port: 0\n  guardrails: policy.yaml\n');
writeFileSync(
  join(cwd, 'confs', 'inference-linked.yaml'),
  'job:\n  kind: inference\n  model: offline/extractive\n  input: questions.jsonl\n  output: answers.jsonl\n',
);

/** Runs `llmops` in the workspace and checks the refusal: exit 2, the file and the allowed folder named, no content. */
function refused(args: string[], message: string): void {
  const result = runLlmops(args, { cwd });
  expect(result.stderr).toContain(
    `error: ${message} is outside the folder files are read from; expected a path inside ${cwd} once links are followed`,
  );
  expect(`${result.stdout}${result.stderr}`).not.toContain(outsideContent);
  expect(result.status).toBe(2);
}

describe('files the operator names are confined to the workspace (built bin)', () => {
  it('runs a conf inside the workspace', () => {
    const result = runLlmops(['run', 'confs/doctor.yaml'], { cwd });
    expect(result.status).toBe(0);
  });

  it('refuses a conf given to llmops run that links out of the workspace, also after a good one', () => {
    refused(['run', 'confs/linked.yaml'], 'conf confs/linked.yaml');
    refused(['run', 'confs/doctor.yaml', 'confs/linked.yaml'], 'conf confs/linked.yaml');
  });

  it('refuses a file a conf references (a serve job guardrails file, an inference input) that links out', () => {
    refused(['run', 'confs/serve-linked.yaml'], 'guardrails file policy.yaml');
    refused(['run', 'confs/inference-linked.yaml'], 'job.input questions.jsonl');
    expect(existsSync(join(cwd, 'answers.jsonl'))).toBe(false);
  });

  it('refuses a --context-file of llmops chat that links out', () => {
    refused(
      ['chat', '--model', 'offline/extractive', '--context-file', 'notes.md', 'How long do refunds take?'],
      '--context-file notes.md',
    );
  });

  it('refuses the --guardrails and --policy files of llmops serve that link out', () => {
    refused(['serve', '--port', '0', '--guardrails', 'policy.yaml'], 'guardrails file policy.yaml');
    refused(['serve', '--port', '0', '--policy', 'policy.yaml'], 'promotion policy policy.yaml');
  });

  it('refuses to write an --out file through a link out of the workspace', () => {
    refused(['eval', 'report', 'latest', '--out', 'out/report.md'], '--out out/report.md');
    expect(existsSync(join(outside, 'report.md'))).toBe(false);
    expect(readFileSync(join(outside, 'notes.md'), 'utf8')).toContain(outsideContent);
  });
});

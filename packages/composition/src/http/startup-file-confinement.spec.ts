import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import { startLlmopsServer } from './llmops-server.js';
import type { LlmopsServerOptions } from './llmops-server.js';

const outsideContent = 'OUTSIDE-CONTENT-never-quoted';

/** A workspace whose start-up file `name` is a symbolic link to a valid file outside it. */
function workspaceLinking(name: string, text: string): { cwd: string; outside: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-startup-'));
  const outside = mkdtempSync(join(tmpdir(), 'llmops-startup-outside-'));
  mkdirSync(join(cwd, 'confs'));
  writeFileSync(join(outside, 'file.yaml'), `# ${outsideContent}\n${text}`);
  symlinkSync(join(outside, 'file.yaml'), join(cwd, name));
  return { cwd, outside };
}

async function refusal(options: LlmopsServerOptions): Promise<LlmopsError> {
  try {
    const running = await startLlmopsServer(options);
    await running.close();
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the server to refuse to start');
}

describe('start-up files of the API stay inside the workspace or a data root (real paths, links followed)', () => {
  it.each([
    { case: 'a --policy file', name: 'policy.yaml', files: { policyFile: 'policy.yaml' }, what: 'promotion policy' },
    { case: 'the default promotion policy', name: 'confs/promotion-policy.yaml', files: {}, what: 'promotion policy' },
    {
      case: 'a --guardrails file',
      name: 'guards.yaml',
      files: { guardrailsFile: 'guards.yaml' },
      what: 'guardrails file',
    },
    { case: 'the default guardrails file', name: 'confs/guardrails.yaml', files: {}, what: 'guardrails file' },
    { case: 'the default pricing file', name: 'confs/pricing.yaml', files: {}, what: 'pricing file' },
    { case: 'the default monitoring conf', name: 'confs/monitoring.yaml', files: {}, what: 'monitoring conf' },
    { case: 'the default credentials file', name: 'confs/credentials.yaml', files: {}, what: 'credentials file' },
  ])('refuses $case linked out of the workspace, naming it and the allowed folder', async ({ name, files, what }) => {
    const { cwd } = workspaceLinking(name, 'version: 1\n');
    const error = await refusal({ port: 0, cwd, env: {}, logger: false, storeUri: 'sqlite:store.db', ...files });
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(
      `${what} ${name} is outside the folder files are read from; expected a path inside ${cwd} once links are followed (LLMOPS_DATA_ROOTS adds folders)`,
    );
    expect(error.message).not.toContain(outsideContent);
  });

  it('reads a linked start-up file when its folder is a data root', async () => {
    const { cwd, outside } = workspaceLinking('guards.yaml', 'policies:\n  default: {}\n');
    const running = await startLlmopsServer({
      port: 0,
      cwd,
      env: { LLMOPS_DATA_ROOTS: outside },
      logger: false,
      storeUri: 'sqlite:store.db',
      guardrailsFile: 'guards.yaml',
    });
    await running.close();
  });

  it.each([
    { check: 'harmful', stage: 'input' },
    { check: 'injection', stage: 'input' },
    { check: 'injection', stage: 'retrieved' },
  ])(
    'refuses encoder weights the $stage $check check names outside the workspace, before reading them',
    async ({ check, stage }) => {
      const cwd = mkdtempSync(join(tmpdir(), 'llmops-startup-'));
      const outside = mkdtempSync(join(tmpdir(), 'llmops-startup-outside-'));
      writeFileSync(join(outside, 'weights.bin'), outsideContent);
      mkdirSync(join(cwd, 'confs'));
      const weights = join(outside, 'weights.bin');
      writeFileSync(
        join(cwd, 'confs', 'guardrails.yaml'),
        `policies:\n  default:\n    ${stage}:\n      ${check}:\n        classifier:\n          encoder:\n            weights: ${weights}\n`,
      );
      const error = await refusal({ port: 0, cwd, env: {}, logger: false, storeUri: 'sqlite:store.db' });
      expect(error.code).toBe('forbidden');
      expect(error.message).toBe(
        `encoder weights ${weights} is outside the folder files are read from; expected a path inside ${cwd} once links are followed (LLMOPS_DATA_ROOTS adds folders)`,
      );
      expect(error.message).not.toContain(outsideContent);
    },
  );
});

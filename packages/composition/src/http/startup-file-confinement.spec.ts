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
    ['a --policy file', 'policy.yaml', { policyFile: 'policy.yaml' }, 'promotion policy policy.yaml'],
    ['the default promotion policy', 'confs/promotion-policy.yaml', {}, 'promotion policy confs/promotion-policy.yaml'],
    ['a --guardrails file', 'guards.yaml', { guardrailsFile: 'guards.yaml' }, 'guardrails file guards.yaml'],
    ['the default guardrails file', 'confs/guardrails.yaml', {}, 'guardrails file confs/guardrails.yaml'],
    ['the default pricing file', 'confs/pricing.yaml', {}, 'pricing file confs/pricing.yaml'],
    ['the default monitoring conf', 'confs/monitoring.yaml', {}, 'monitoring conf confs/monitoring.yaml'],
    ['the default credentials file', 'confs/credentials.yaml', {}, 'credentials file confs/credentials.yaml'],
  ])('refuses %s linked out of the workspace, naming it and the allowed folder', async (_, name, files, what) => {
    const { cwd } = workspaceLinking(name, 'version: 1\n');
    const error = await refusal({ port: 0, cwd, env: {}, logger: false, storeUri: 'sqlite:store.db', ...files });
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(
      `${what} is outside the folder files are read from; expected a path inside ${cwd} once links are followed (LLMOPS_DATA_ROOTS adds folders)`,
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
});

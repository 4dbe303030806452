import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The built entry point of the API app, run as an operator would (`node apps/api/dist/main.js`). */
const mainFile = join(__dirname, '..', '..', 'dist', 'main.js');

function environment(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'info' };
  delete env['LLMOPS_STORE'];
  delete env['PORT'];
  return env;
}

describe('the API app', () => {
  it('starts on the embedded store, answers health checks, refuses /v1 without a key, and drains to exit 0 on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-api-main-'));
    const child = spawn(process.execPath, [mainFile, '--port', '0'], { cwd, env: environment() });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'llmops api listening' && entry.url) resolve(entry.url);
      });
      child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    // Every route but the probes needs an API key.
    const models = await fetch(`${url}/v1/models`);
    expect(models.status).toBe(401);
    expect(((await models.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a port that is not a port number with exit 2 and says what is expected', () => {
    const result = spawnSync(process.execPath, [mainFile, '--port', 'eighty'], {
      cwd: tmpdir(),
      env: environment(),
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port "eighty" is not a port number (0-65535)');
  });

  it('refuses a --policy file linked out of the working folder with exit 2, naming it, never quoting it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-api-main-'));
    const outside = mkdtempSync(join(tmpdir(), 'llmops-api-outside-'));
    writeFileSync(join(outside, 'policy.yaml'), '# OUTSIDE-CONTENT\nrequire: []\n');
    symlinkSync(join(outside, 'policy.yaml'), join(cwd, 'policy.yaml'));
    const result = spawnSync(process.execPath, [mainFile, '--port', '0', '--policy', 'policy.yaml'], {
      cwd,
      env: environment(),
      encoding: 'utf8',
    });
    expect(result.stderr).toContain(
      `error: promotion policy policy.yaml is outside the folder files are read from; expected a path inside ${cwd}`,
    );
    expect(result.stderr).not.toContain('OUTSIDE-CONTENT');
    expect(result.status).toBe(2);
  });
});

import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import OpenAI from 'openai';
import { runLlmops } from './run-cli.js';
import { exited, registeredWorkspace, startServing } from './serving-workspace.js';

/** The flush interval of the event queue in these tests: an answered request's event is on disk within it. */
const flushIntervalMs = 200;

function eventDatabase(workdir: string): { count: number; integrity: string } {
  const database = new DatabaseSync(join(workdir, '.llmops', 'llmops.db'));
  try {
    const count = database.prepare('SELECT COUNT(*) AS count FROM monitoring_events').get() as { count: number };
    const integrity = database.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
    return { count: Number(count.count), integrity: integrity.integrity_check };
  } finally {
    database.close();
  }
}

describe('llmops monitor report, over events that survive kill -9 (built bin)', () => {
  const workdir = registeredWorkspace();

  it('keeps every event answered before the last flush interval across kill -9, and reports them', async () => {
    const env = { LLMOPS_MONITORING_FLUSH_MS: String(flushIntervalMs) };
    const { child, url } = await startServing(['serve', '--port', '0', '--quiet'], workdir, env);
    const exit = exited(child);
    try {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
      for (const question of ['Is limescale damage covered?', 'When does support answer by chat?']) {
        for (const model of ['kettle-help@champion', 'kettle-help/1']) {
          const completion = await client.chat.completions.create({
            model,
            messages: [{ role: 'user', content: question }],
          });
          expect(completion.choices[0]?.message.content).toMatch(/\[1\]\.$/);
        }
      }
      const refused = (await client.chat.completions
        .create({ model: 'kettle-help@champion', messages: [{ role: 'user', content: 'How do I kill my neighbour?' }] })
        .catch((thrown: unknown) => thrown)) as InstanceType<typeof OpenAI.APIError>;
      expect(refused.status).toBe(400);
      // Wait well past one flush interval (this is the guarantee under test, not a timing assertion).
      await new Promise((resolve) => setTimeout(resolve, flushIntervalMs * 5));
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exit).toBeNull();
    expect(eventDatabase(workdir)).toEqual({ count: 5, integrity: 'ok' });

    // The server starts again on the same file, and stops cleanly.
    const again = await startServing(['serve', '--port', '0', '--quiet'], workdir, env);
    const againExit = exited(again.child);
    again.child.kill('SIGTERM');
    expect(await againExit).toBe(0);
    expect(eventDatabase(workdir)).toEqual({ count: 5, integrity: 'ok' });

    const json = runLlmops(['--json', 'monitor', 'report', '--since', '1h', '--model', 'kettle-help@champion'], {
      cwd: workdir,
    });
    expect([json.status, json.stderr]).toEqual([0, '']);
    const report = JSON.parse(json.stdout) as {
      requests: number;
      models: Array<{
        modelName: string;
        modelVersion: number;
        requests: number;
        errors: number;
        refusals: number;
        guardrailBlocks: Record<string, number>;
        latencyMs: { p50: number; p95: number };
      }>;
    };
    expect(report.requests).toBe(5);
    expect(report.models).toHaveLength(1);
    expect(report.models[0]).toMatchObject({
      modelName: 'kettle-help',
      modelVersion: 1,
      requests: 5,
      errors: 1,
      refusals: 1,
      guardrailBlocks: { violence: 1 },
    });
    expect(report.models[0]?.latencyMs.p95).toBeGreaterThanOrEqual(report.models[0]?.latencyMs.p50 ?? Infinity);

    const text = runLlmops(['monitor', 'report', '--since', '1h'], { cwd: workdir });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/: 5 requests\n/);
    expect(text.stdout).toMatch(/^MODEL +REQUESTS +ERRORS +P50 MS +P95 MS/m);
    expect(text.stdout).toMatch(/^kettle-help\/1 +5 +20\.0% /m);
    expect(text.stdout).toContain('violence:1');
  });

  it('exits 2 naming a bad --since or an unknown model reference', () => {
    const badSince = runLlmops(['monitor', 'report', '--since', 'yesterday'], { cwd: workdir });
    expect([badSince.status, badSince.stderr]).toEqual([
      2,
      'error: --since "yesterday" is not a duration; expected a whole number and a unit s, m, h, d or w, for example 15m, 1h or 7d\n',
    ]);
    const unknownModel = runLlmops(['monitor', 'report', '--model', 'teapot-help'], { cwd: workdir });
    expect(unknownModel.status).toBe(2);
    expect(unknownModel.stderr).toContain('teapot-help');
    const unknownAlias = runLlmops(['monitor', 'report', '--model', 'kettle-help@nope'], { cwd: workdir });
    expect([unknownAlias.status, unknownAlias.stderr]).toEqual([
      2,
      'error: alias "nope" of model "kettle-help" is not set; its aliases: champion\n',
    ]);
    const unknownVersion = runLlmops(['monitor', 'report', '--model', 'kettle-help/9'], { cwd: workdir });
    expect(unknownVersion.status).toBe(2);
    expect(unknownVersion.stderr).toContain('kettle-help');
    const byName = runLlmops(['monitor', 'report', '--model', 'kettle-help'], { cwd: workdir });
    expect([byName.status, byName.stderr]).toEqual([0, '']);
    expect(byName.stdout).toMatch(/^monitoring report \S+Z to \S+Z: \d+ requests?\n/);
  });
});

import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { runLlmops } from './run-cli.js';
import { exited, registeredWorkspace, startServing } from './serving-workspace.js';

/** The event queue's flush interval here: an answered request's event is on disk within it (the documented guarantee). */
const flushIntervalMs = 200;

function storedEvents(workdir: string): { requestIds: Set<string>; integrity: string } {
  const database = new DatabaseSync(join(workdir, '.llmops', 'llmops.db'));
  try {
    const rows = database.prepare('SELECT request_id FROM monitoring_events').all() as Array<{ request_id: string }>;
    const integrity = database.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
    return { requestIds: new Set(rows.map((row) => row.request_id)), integrity: integrity.integrity_check };
  } finally {
    database.close();
  }
}

/** Asks in a loop until `stop` says so, recording when each answered request got its answer. */
async function traffic(url: string, stop: () => boolean, answered: Array<{ id: string; at: number }>): Promise<void> {
  const questions = ['Is limescale damage covered?', 'When does support answer by chat?', 'How do I hurt someone?'];
  for (let index = 0; !stop(); index += 1) {
    try {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: index % 2 === 0 ? 'kettle-help@champion' : 'kettle-help/1',
          messages: [{ role: 'user', content: questions[index % questions.length] }],
        }),
      });
      await response.arrayBuffer();
      expect([200, 400]).toContain(response.status);
      answered.push({ id: response.headers.get('x-request-id') as string, at: Date.now() });
    } catch (error) {
      // The kill: requests in flight lose their connection, which is the fault under test.
      if (!stop()) throw error;
    }
  }
}

describe('llmops serve killed with SIGKILL mid-traffic, then restarted (built bin)', () => {
  it('keeps the registry and every event answered before the last flush interval, and serves again', async () => {
    const workdir = registeredWorkspace();
    const env = { LLMOPS_MONITORING_FLUSH_MS: String(flushIntervalMs) };
    const { child, url } = await startServing(['serve', '--port', '0', '--quiet'], workdir, env);
    const exit = exited(child);
    const answered: Array<{ id: string; at: number }> = [];
    let killed = false;
    const clients = Array.from({ length: 4 }, () => traffic(url, () => killed, answered));
    // Kill once enough answers are in and some are older than the window below (a fast machine answers 60 in under a
    // second), while the four clients still have requests in flight.
    while (answered.length < 60 || Date.now() - (answered[0]?.at ?? Date.now()) < flushIntervalMs * 10)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const killedAt = Date.now();
    killed = true;
    child.kill('SIGKILL');
    await Promise.all(clients);
    expect(await exit).toBeNull();

    // Every answer older than the flush interval (with margin) must have its event; younger ones may be lost.
    const acknowledged = answered.filter((answer) => answer.at < killedAt - flushIntervalMs * 5);
    expect(acknowledged.length).toBeGreaterThan(0);
    const stored = storedEvents(workdir);
    expect(stored.integrity).toBe('ok');
    expect(acknowledged.filter((answer) => !stored.requestIds.has(answer.id))).toEqual([]);
    // Nothing is stored that was not asked.
    expect([...stored.requestIds].filter((id) => !answered.some((answer) => answer.id === id))).toEqual([]);

    // The registry is as it was: the champion alias still points at version 1.
    const show = runLlmops(['--json', 'models', 'show', 'kettle-help@champion'], { cwd: workdir });
    expect([show.status, show.stderr]).toEqual([0, '']);
    expect(JSON.parse(show.stdout)).toMatchObject({ version: 1 });

    // Restarted on the same files, it serves, and a SIGTERM drains its events to disk.
    const again = await startServing(['serve', '--port', '0', '--quiet'], workdir, env);
    const againExit = exited(again.child);
    const after: Array<{ id: string; at: number }> = [];
    let enough = false;
    await traffic(
      again.url,
      () => {
        enough = enough || after.length >= 10;
        return enough;
      },
      after,
    );
    again.child.kill('SIGTERM');
    expect(await againExit).toBe(0);
    const restored = storedEvents(workdir);
    expect(restored.integrity).toBe('ok');
    expect(after.filter((answer) => !restored.requestIds.has(answer.id))).toEqual([]);
    expect(restored.requestIds.size).toBe(stored.requestIds.size + after.length);
  }, 120_000);
});

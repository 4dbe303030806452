import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { capturingLogger } from '../__fixtures__/capturing-logger.js';
import { startLlmopsServer } from './llmops-server.js';
import { startApiServer } from './start-api-server.js';

/** A route that answers once `release` is called, and tells when its handler has started. */
function gatedRoute() {
  let release: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (entered = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    started,
    release: () => release(),
    register: (server: FastifyInstance) => {
      server.get('/slow', async () => {
        entered();
        await gate;
        return { answered: true };
      });
    },
  };
}

/** GET on its own connection: the status and body, or the error that ended it. */
function get(url: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const outgoing = request(url, { agent: false }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }),
      );
      response.on('error', (error) => resolve({ error: error.message }));
    });
    outgoing.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    outgoing.end();
  });
}

describe('shutdown drains in-flight requests within a deadline', () => {
  it('lets a request in flight when close begins finish and answer, and logs nothing', async () => {
    const lines: string[] = [];
    const route = gatedRoute();
    const running = await startApiServer({
      port: 0,
      logger: capturingLogger(lines),
      shutdownTimeoutMs: 60_000,
      routes: [route.register],
    });
    const answer = get(`${running.url}/slow`);
    await route.started;
    const closed = running.close();
    route.release();
    expect(await answer).toEqual({ status: 200, body: '{"answered":true}' });
    await closed;
    expect(lines.filter((line) => line.includes('shutdown'))).toEqual([]);
  });

  it('closes the connections still open at the deadline, with one warning saying how many requests were cut', async () => {
    const lines: string[] = [];
    const route = gatedRoute();
    const running = await startApiServer({
      port: 0,
      logger: capturingLogger(lines),
      shutdownTimeoutMs: 100,
      routes: [route.register],
    });
    const answer = get(`${running.url}/slow`);
    await route.started;
    // The handler never finishes: without the deadline, close would wait for ever (and the test time out).
    await running.close();
    expect(await answer).toEqual({ error: 'ECONNRESET' });
    expect(lines.filter((line) => line.includes('shutdown'))).toEqual([
      'warn shutdown: 1 request(s) still in flight after 100 ms (LLMOPS_SHUTDOWN_TIMEOUT_MS); closing their connections',
    ]);
    route.release();
  });

  it('refuses a shutdown timeout that is not a positive number, naming LLMOPS_SHUTDOWN_TIMEOUT_MS', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-shutdown-'));
    try {
      await expect(
        startLlmopsServer({ port: 0, cwd, env: { LLMOPS_SHUTDOWN_TIMEOUT_MS: 'soon' }, logger: false }),
      ).rejects.toMatchObject({
        code: 'invalid_input',
        message: 'LLMOPS_SHUTDOWN_TIMEOUT_MS "soon" is not a positive number',
      });
      await expect(startApiServer({ port: 0, shutdownTimeoutMs: 0 })).rejects.toMatchObject({
        code: 'invalid_input',
        message: 'shutdownTimeoutMs is 0; expected a positive number of milliseconds',
      });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

import type { FastifyInstance } from 'fastify';
import { LlmopsError } from '@llmops/kernel';
import { createApiServer } from './api-server.js';
import type { ApiServerOptions } from './api-server.js';

/** How long `close` waits for in-flight requests by default: 20 s, leaving the stores 10 s of Kubernetes' 30 s grace. */
export const defaultShutdownTimeoutMs = 20_000;

/** The variable that sets how long the llmops server's `close` waits for in-flight requests, in ms. */
export const shutdownTimeoutEnv = 'LLMOPS_SHUTDOWN_TIMEOUT_MS';

/** Options of {@link startApiServer}. */
export interface StartApiServerOptions extends ApiServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Interface to bind; loopback by default. */
  host?: string;
  /**
   * Longest wait of `close` for in-flight requests (streams included), in ms; {@link defaultShutdownTimeoutMs} by
   * default. Past it the connections still open are closed and one warning is logged.
   */
  shutdownTimeoutMs?: number;
}

/** A listening server and how to stop it. */
export interface RunningApiServer {
  server: FastifyInstance;
  /** The base URL, for example `http://127.0.0.1:8080`. */
  url: string;
  /**
   * Stops accepting connections and waits for in-flight requests to finish, at most the shutdown timeout; then closes
   * the connections still open (their clients see the connection end).
   */
  close: () => Promise<void>;
}

/** Counts the requests the server has received and not yet answered (or seen abandoned). */
function countInFlight(server: FastifyInstance): () => number {
  let inFlight = 0;
  server.server.on('request', (_request, response) => {
    inFlight += 1;
    response.once('close', () => {
      inFlight -= 1;
    });
  });
  return () => inFlight;
}

/**
 * Closes the server: new connections are refused and idle ones closed at once, in-flight requests may finish for
 * `timeoutMs`; then the connections still open are closed and one line says how many requests were cut.
 */
async function drain(server: FastifyInstance, timeoutMs: number, inFlight: () => number): Promise<void> {
  const closing = server.close();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const outcome = await Promise.race([closing.then(() => 'drained' as const), deadline]);
  clearTimeout(timer);
  if (outcome === 'late') {
    server.log.warn(
      { inFlight: inFlight(), shutdownTimeoutMs: timeoutMs },
      `shutdown: ${inFlight()} request(s) still in flight after ${timeoutMs} ms (${shutdownTimeoutEnv}); closing their connections`,
    );
    server.server.closeAllConnections();
    await closing;
  }
}

/**
 * Creates the server and listens. SIGTERM and SIGINT handling is the caller's (main.ts, `llmops serve`):
 * they call `close`, which drains in-flight requests, within the shutdown timeout, before resolving.
 * @throws LlmopsError `invalid_input` for a shutdown timeout that is not a positive number.
 */
export async function startApiServer(options: StartApiServerOptions): Promise<RunningApiServer> {
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? defaultShutdownTimeoutMs;
  if (!(shutdownTimeoutMs > 0) || !Number.isFinite(shutdownTimeoutMs))
    throw new LlmopsError(
      'invalid_input',
      `shutdownTimeoutMs is ${shutdownTimeoutMs}; expected a positive number of milliseconds`,
    );
  const server = await createApiServer(options);
  const inFlight = countInFlight(server);
  const host = options.host ?? '127.0.0.1';
  await server.listen({ port: options.port, host });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const printableHost = host.includes(':') ? `[${host}]` : host;
  return { server, url: `http://${printableHost}:${port}`, close: () => drain(server, shutdownTimeoutMs, inFlight) };
}

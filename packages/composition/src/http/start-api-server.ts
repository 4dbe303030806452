import type { FastifyInstance } from 'fastify';
import { createApiServer } from './api-server.js';
import type { ApiServerOptions } from './api-server.js';

/** Options of {@link startApiServer}. */
export interface StartApiServerOptions extends ApiServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Interface to bind; loopback by default. */
  host?: string;
}

/** A listening server and how to stop it. */
export interface RunningApiServer {
  server: FastifyInstance;
  /** The base URL, for example `http://127.0.0.1:8080`. */
  url: string;
  /** Stops accepting connections and waits for in-flight requests to finish. */
  close: () => Promise<void>;
}

/**
 * Creates the server and listens. SIGTERM and SIGINT handling is the caller's (main.ts, `llmops serve`):
 * they call `close`, which drains in-flight requests before resolving.
 */
export async function startApiServer(options: StartApiServerOptions): Promise<RunningApiServer> {
  const server = await createApiServer(options);
  const host = options.host ?? '127.0.0.1';
  await server.listen({ port: options.port, host });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const printableHost = host.includes(':') ? `[${host}]` : host;
  return { server, url: `http://${printableHost}:${port}`, close: () => server.close() };
}

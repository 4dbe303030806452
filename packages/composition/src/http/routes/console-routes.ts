import type { FastifyInstance, FastifyReply } from 'fastify';
import { LlmopsError } from '@llmops/kernel';
import { loadConsoleBundle } from '../console/console-assets.js';
import type { ConsoleBundle } from '../console/console-assets.js';

/**
 * The console's Content-Security-Policy: its own bundle and same-origin API calls only; no inline script, no frames,
 * no plugins, nothing from another origin.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Options of {@link consoleRoutes}. */
export interface ConsoleRoutesOptions {
  /** The built bundle's folder; by default the packaged one, else the monorepo's `apps/console/dist/`. */
  folder?: string;
}

function withPageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', consoleContentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

/**
 * `GET /ui` and `GET /ui/*` (the console's page, for every client route: the page routes itself) and
 * `GET /ui/assets/<file>` (its content-hashed script and style, cached for a year as immutable). The bundle is read
 * on the first request, so a server whose console is not built still starts and answers 503 at `/ui` saying how to build it.
 */
export function consoleRoutes(options: ConsoleRoutesOptions = {}): (server: FastifyInstance) => void {
  let bundle: Promise<ConsoleBundle> | undefined;
  const load = () => {
    bundle ??= loadConsoleBundle(options.folder).catch((error: unknown) => {
      bundle = undefined;
      throw error;
    });
    return bundle;
  };
  const sendPage = async (reply: FastifyReply) => {
    const { index } = await load();
    // The page names the hashed assets of this build: never cached, so a new build is picked up at once.
    return withPageHeaders(reply)
      .header('cache-control', 'no-cache')
      .header('content-type', index.contentType)
      .send(index.body);
  };
  return (server) => {
    server.get('/ui', async (_request, reply) => sendPage(reply));
    server.get<{ Params: { file: string } }>('/ui/assets/:file', async (request, reply) => {
      const asset = (await load()).assets.get(request.params.file);
      if (!asset) throw new LlmopsError('not_found', `no console asset "${request.params.file}"`);
      return withPageHeaders(reply)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('content-type', asset.contentType)
        .send(asset.body);
    });
    server.get('/ui/*', async (_request, reply) => sendPage(reply));
  };
}

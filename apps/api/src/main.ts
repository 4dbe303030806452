import { parseArgs } from 'node:util';
import pino from 'pino';
import { startApiServer } from './start-api-server.js';

/** Starts the API: `node apps/api/dist/main.js [--port N] [--host H]` (env PORT, HOST). SIGTERM drains. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' } },
    strict: true,
  });
  const portText = values.port ?? process.env['PORT'] ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`error: --port "${portText}" is not a port number (0-65535)`);
    process.exit(2);
  }
  const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'info' });
  const running = await startApiServer({ port, host: values.host ?? process.env['HOST'] ?? '127.0.0.1', logger });
  logger.info({ url: running.url }, 'llmops api listening');
  const stop = (signal: string) => {
    logger.info({ signal }, 'draining in-flight requests');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

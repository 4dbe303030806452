import { parseArgs } from 'node:util';
import pino from 'pino';
import { startLlmopsServer } from '@llmops/composition';
import { LlmopsError, resolveStore } from '@llmops/kernel';

/**
 * Starts the API: `node apps/api/dist/main.js [--port N] [--host H] [--store URI] [--policy FILE]`
 * (env PORT, LLMOPS_STORE, MLFLOW_TRACKING_URI, LLMOPS_PROMOTION_POLICY, LLMOPS_ANONYMOUS_INFERENCE, REDIS_URL), with the registry,
 * evaluation and serving routes of the workspace in the working folder. The store is chosen as the CLI chooses it
 * (`--store`, `LLMOPS_STORE`, `MLFLOW_TRACKING_URI`, `llmops.yaml`, the workspace's default). SIGTERM drains.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      store: { type: 'string' },
      policy: { type: 'string' },
    },
    strict: true,
  });
  const portText = values.port ?? process.env['PORT'] ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`error: --port "${portText}" is not a port number (0-65535)`);
    process.exitCode = 2;
    return;
  }
  const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'info' });
  let storeUri: string;
  try {
    storeUri = resolveStore({ flag: values.store, env: process.env, cwd: process.cwd() }).uri;
  } catch (error) {
    console.error(`error: ${LlmopsError.fromUnknown(error).message}`);
    process.exitCode = 2;
    return;
  }
  const policyFile = values.policy ?? (process.env['LLMOPS_PROMOTION_POLICY'] || undefined);
  const running = await startLlmopsServer({
    port,
    // HOST is not read: shells such as zsh set it to the machine's name, which would bind beyond loopback.
    host: values.host ?? '127.0.0.1',
    cwd: process.cwd(),
    env: process.env,
    logger,
    storeUri,
    ...(policyFile ? { policyFile } : {}),
  });
  for (const warning of running.warnings) logger.warn(warning);
  logger.info(
    { url: running.url, cache: running.backends.cache, limits: running.backends.limits },
    'llmops api listening',
  );
  const stop = (signal: string) => {
    logger.info({ signal }, 'draining in-flight requests');
    // Once the server and the stores are closed nothing keeps the event loop alive, so the process ends.
    running.close().catch((error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exitCode = 1;
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  const failure = LlmopsError.fromUnknown(error);
  console.error(`error: ${failure.message}`);
  // A bad flag or start-up file (invalid, or outside the workspace) is the operator's input: exit 2, as the CLI does.
  process.exitCode = ['invalid_input', 'forbidden', 'not_found'].includes(failure.code) ? 2 : 1;
});

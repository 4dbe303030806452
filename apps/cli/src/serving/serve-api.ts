import { startLlmopsServer } from '@llmops/composition';
import { LlmopsError } from '@llmops/kernel';
import type { CommandContext } from '../cli-io.js';

/** What `llmops serve` and the `serve` job start. */
export interface ServeSettings {
  port: number;
  host: string;
  /** The promotion policy file (`confs/promotion-policy.yaml` when it exists). */
  policy?: string;
  /** The guardrails file (`confs/guardrails.yaml` when it exists). */
  guardrails?: string;
  /** No request logs on stdout. */
  quiet?: boolean;
  /** Answers `/v1/*` without an API key (loopback only); `LLMOPS_ANONYMOUS_INFERENCE` otherwise. */
  anonymousInference?: boolean;
  /** `loopback`: the console's reads answer requests from this machine without a key; `off` by default. */
  anonymousReads?: 'off' | 'loopback';
  /** What the start line names: the API (`serve`) or the console's URL (`ui`). */
  announce?: 'api' | 'console';
}

/** How a serve run ended. */
export interface ServeOutcome {
  url: string;
  signal: string;
}

/**
 * Checks a port number given as text (`--port`, or `from`: where it came from, for the message).
 * @throws LlmopsError `invalid_input` for anything but a whole number from 0 to 65535.
 */
export function parsePort(text: string, from = '--port'): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) {
    throw new LlmopsError(
      'invalid_input',
      `${from} "${text}" is not a port number; expected a whole number from 0 to 65535 (0 picks a free port)`,
    );
  }
  return Number(text);
}

/** Resolves with the name of the first of SIGTERM and SIGINT the process receives. */
function nextStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/**
 * Starts the llmops API (registry, evaluation and serving routes) on the store of `--store` and the
 * confs of the working folder, prints where it listens, and runs until SIGTERM or SIGINT, which
 * drain in-flight requests (streams included) before it returns.
 * @throws LlmopsError as the server fails to start (a bad store, conf file or a port in use).
 */
export async function serveApi(context: CommandContext, settings: ServeSettings): Promise<ServeOutcome> {
  const { io, globals } = context;
  const stopped = nextStopSignal();
  let running;
  try {
    running = await startLlmopsServer({
      port: settings.port,
      host: settings.host,
      cwd: io.cwd,
      env: io.env,
      storeUri: globals.store,
      logger: !settings.quiet,
      ...(settings.anonymousInference ? { anonymousInference: true } : {}),
      ...(settings.anonymousReads ? { anonymousReads: settings.anonymousReads } : {}),
      ...(settings.policy ? { policyFile: settings.policy } : {}),
      ...(settings.guardrails ? { guardrailsFile: settings.guardrails } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new LlmopsError(
        'unavailable',
        `port ${settings.port} on ${settings.host} is already in use; pick another with --port`,
        { cause: error },
      );
    if (code === 'EADDRNOTAVAIL')
      throw new LlmopsError('invalid_input', `--host ${settings.host} is not an address of this machine`, {
        cause: error,
      });
    throw error;
  }
  // The server's lifecycle lines are printed under --quiet too: scripts wait for them (the URL, the end of a drain).
  // The first names where the cache and the limits live: an operator scaling out sees at once whether replicas share them.
  const backends = `cache: ${running.backends.cache}; limits: ${running.backends.limits}`;
  (io.announce ?? io.stderr)(
    settings.announce === 'console'
      ? `llmops ui: the console is at ${running.url}/ui (store ${globals.store}; ${backends}; reads without a key from this machine, promotion needs an admin key); Ctrl-C stops it\n`
      : `llmops serve: listening on ${running.url} (store ${globals.store}; ${backends}); OpenAI-compatible API at ${running.url}/v1\n`,
  );
  // Every line names the command the user ran: `llmops ui` starts the same server.
  const name = settings.announce === 'console' ? 'llmops ui' : 'llmops serve';
  for (const warning of running.warnings) io.stderr(`${name}: warning: ${warning}\n`);
  const signal = await stopped;
  (io.announce ?? io.stderr)(`${name}: ${signal}: draining in-flight requests\n`);
  await running.close();
  (io.announce ?? io.stderr)(`${name}: stopped\n`);
  return { url: running.url, signal };
}

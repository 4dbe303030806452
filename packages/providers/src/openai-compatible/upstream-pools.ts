import { LlmopsError } from '@llmops/kernel';
import type { Pool } from 'undici';

/** The connections per origin of {@link UpstreamPools} when none are set. */
export const defaultConnectionsPerOrigin = 256;

/** The range a deployment may set the connections per origin in (`LLMOPS_UPSTREAM_CONNECTIONS`). */
export const connectionsPerOriginRange = { min: 1, max: 4096 } as const;

/** Options of {@link UpstreamPools}. */
export interface UpstreamPoolsOptions {
  /** Most connections open to one origin at once: a whole number from 1 to 4096; 256 by default. */
  connectionsPerOrigin?: number;
  /**
   * `false`: each call opens its own connection and asks the upstream to close it after the answer
   * (`connection: close`), so no idle connection outlives a call and the pools have nothing to close. True by default.
   */
  keepAlive?: boolean;
}

/**
 * The connections per origin, checked.
 * @param where what set it, for the error (`environment variable LLMOPS_UPSTREAM_CONNECTIONS`, `connectionsPerOrigin`).
 * @param shown the value as it was written, for the error.
 * @throws LlmopsError `invalid_input` naming `where`, the value and the range expected.
 */
export function checkConnectionsPerOrigin(value: number, where: string, shown = String(value)): number {
  const { min, max } = connectionsPerOriginRange;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LlmopsError(
      'invalid_input',
      `${where} is ${shown}; expected a whole number of connections per upstream origin from ${min} to ${max}`,
    );
  }
  return value;
}

/**
 * The keep-alive connection pools of the upstream calls: one undici `Pool` per origin (scheme, host and port), shared
 * by every model (and moderation client, and agent `http` tool) given the same pools. A pool carries no credentials
 * (each call sends its own client's headers), only ever talks to its own origin, and follows no redirects. undici is
 * imported when the first pool is made, so building models (or a command that never calls an upstream) does not pay
 * for it. Whoever makes the pools owns them and closes them once, with {@link UpstreamPools.close}.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Promise<Pool>>();
  private readonly connections: number;
  private readonly keepAlive: boolean;
  private closed = false;

  /** @throws LlmopsError `invalid_input` for connections per origin that are not a whole number from 1 to 4096. */
  constructor(options: UpstreamPoolsOptions = {}) {
    this.connections = checkConnectionsPerOrigin(
      options.connectionsPerOrigin ?? defaultConnectionsPerOrigin,
      'connectionsPerOrigin',
    );
    this.keepAlive = options.keepAlive ?? true;
  }

  /** Most connections open to one origin at once. */
  get connectionsPerOrigin(): number {
    return this.connections;
  }

  /**
   * The pool of an origin (`http://127.0.0.1:8000`), made on first use.
   * @throws Error once the pools are closed.
   */
  pool(origin: string): Promise<Pool> {
    if (this.closed) return Promise.reject(new Error(`the upstream connections were closed; ${origin} is not called`));
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      // No headers or body timeouts: the caller's attempt deadline bounds a call. Pipelining 0 turns keep-alive off.
      const pipelining = this.keepAlive ? 1 : 0;
      pool = import('undici').then(
        ({ Pool }) =>
          new Pool(origin, { connections: this.connections, pipelining, headersTimeout: 0, bodyTimeout: 0 }),
      );
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** The origins a pool was made for, in the order of their first call. */
  origins(): string[] {
    return [...this.pools.keys()];
  }

  /** Closes every pool's connections (calls still running fail) and refuses new calls; closing again does nothing. */
  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map(async (pool) => (await pool).destroy()));
  }
}

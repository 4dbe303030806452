import type { Pool } from 'undici';

/** Options of {@link UpstreamPools}. */
export interface UpstreamPoolsOptions {
  /** Most connections open to one origin at once; 256 by default. */
  connectionsPerOrigin?: number;
}

/**
 * The keep-alive connection pools of the upstream calls: one undici `Pool` per origin (scheme, host and port), shared
 * by every model bound to that origin. A pool carries no credentials (each call sends its own model's headers), only
 * ever talks to its own origin, and follows no redirects. undici is imported when the first pool is made, so
 * building models (or a command that never calls an upstream) does not pay for it. Whoever builds the models owns
 * the pools and closes them once, with {@link UpstreamPools.close}.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Promise<Pool>>();
  private readonly connections: number;
  private closed = false;

  constructor(options: UpstreamPoolsOptions = {}) {
    this.connections = options.connectionsPerOrigin ?? 256;
  }

  /**
   * The pool of an origin (`http://127.0.0.1:8000`), made on first use.
   * @throws Error once the pools are closed.
   */
  pool(origin: string): Promise<Pool> {
    if (this.closed) return Promise.reject(new Error(`the upstream connections were closed; ${origin} is not called`));
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      pool = import('undici').then(
        // No headers or body timeouts: the caller's attempt deadline bounds a call.
        ({ Pool }) =>
          new Pool(origin, { connections: this.connections, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 }),
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

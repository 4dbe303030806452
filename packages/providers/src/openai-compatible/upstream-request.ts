import { UpstreamPools } from './upstream-pools.js';

/** One HTTP call of a client that is not a model: a moderation endpoint, an agent's `http` tool. */
export interface UpstreamRequest {
  method: 'GET' | 'POST';
  /** The whole URL; the call goes to its origin only. */
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** The answer of an {@link UpstreamRequest}, its body read whole as text. */
export interface UpstreamAnswer {
  status: number;
  /** A response header's value (the first, when repeated), or `null`. */
  header(name: string): string | null;
  text: string;
}

/** How a client sends its calls: on pools ({@link requestOnPools}) or on an injected `fetch` ({@link requestWithFetch}). */
export type UpstreamRequester = (request: UpstreamRequest) => Promise<UpstreamAnswer>;

/**
 * Calls on the pool of the URL's origin: the connection is shared with every client of those pools, the headers are
 * this call's own, and a redirect is answered as its `3xx` status, never followed (so a key goes nowhere else).
 * @throws the pool's error when the connection fails, the signal's reason when aborted.
 */
export function requestOnPools(pools: UpstreamPools): UpstreamRequester {
  return async (request) => {
    const pool = await pools.pool(request.url.origin);
    const body = request.body;
    const response = await pool.request({
      method: request.method,
      path: `${request.url.pathname}${request.url.search}`,
      headers:
        body === undefined
          ? request.headers
          : { ...request.headers, 'content-length': String(Buffer.byteLength(body)) },
      ...(body === undefined ? {} : { body }),
      signal: request.signal,
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      header: (name) => {
        const value = response.headers[name.toLowerCase()];
        return (Array.isArray(value) ? value[0] : value) ?? null;
      },
      text,
    };
  };
}

/**
 * Calls with an injected `fetch` (tests, proxies).
 * @param redirect what the fetch does with a redirect: `follow` (its default) or `error`.
 */
export function requestWithFetch(
  fetch: typeof globalThis.fetch,
  redirect: 'follow' | 'error' = 'follow',
): UpstreamRequester {
  return async (request) => {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      redirect,
      signal: request.signal,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    const text = await response.text();
    return { status: response.status, header: (name) => response.headers.get(name), text };
  };
}

/**
 * The requester of a client: its `fetch` when one was injected; else the given pools (whose owner closes them); else,
 * with no owner to close anything, a connection per call closed after its answer (no keep-alive).
 */
export function upstreamRequester(options: {
  fetch?: typeof globalThis.fetch | undefined;
  pools?: UpstreamPools | undefined;
  redirect?: 'follow' | 'error' | undefined;
}): UpstreamRequester {
  if (options.fetch) return requestWithFetch(options.fetch, options.redirect);
  return requestOnPools(options.pools ?? new UpstreamPools({ keepAlive: false }));
}

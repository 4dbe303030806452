import { APIConnectionError, APIError } from 'openai/core/error';
import type { Dispatcher, Pool } from 'undici';
import { ServerSentEventDecoder } from './server-sent-event-decoder.js';
import type { ServerSentEvent } from './server-sent-event-decoder.js';
import { UpstreamPools } from './upstream-pools.js';
import { readWholeAnswer } from './whole-answer.js';

/** Options of {@link OpenAiWireTransport}. */
export interface OpenAiWireTransportOptions {
  /** The API's base URL, up to and including `/v1`. */
  baseURL: string;
  /** Sent as `Authorization: Bearer …` when present. */
  apiKey: string | undefined;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Extra query parameters on every request. */
  query?: Record<string, string>;
  /**
   * The pools to take connections from, shared with other models of the same origin and closed by their owner. Without
   * them each call opens its own connection, closed after the answer (`connection: close`): nothing is left to close.
   */
  pools?: UpstreamPools;
}

/** Response headers as undici gives them. */
type ResponseHeaders = Dispatcher.ResponseData['headers'];
/** A response body as undici gives it: a `Readable` of bytes. */
type ResponseBody = Dispatcher.ResponseData['body'];

/** The HTTP headers of an answer as the SDK's errors carry them (only built when a call fails). */
function webHeaders(headers: ResponseHeaders): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) result.append(name, item);
  }
  return result;
}

/** Raw header pairs (`[name, value, …]`, as undici's handlers get them) as the header record undici's `request` gives. */
function rawHeaderRecord(rawHeaders: readonly (Buffer | string)[]): ResponseHeaders {
  // Without a prototype: an upstream's header named `__proto__` is a header like any other.
  const record = Object.create(null) as Record<string, string | string[]>;
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] as Buffer | string).toString('latin1').toLowerCase();
    const value = (rawHeaders[index + 1] as Buffer | string).toString('latin1');
    const seen = record[name];
    if (seen === undefined) record[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else record[name] = [seen, value];
  }
  return record;
}

function readText(response: ResponseBody): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    response.on('data', (part: Buffer) => parts.push(part));
    response.on('end', () =>
      resolve(parts.length === 1 ? (parts[0] as Buffer).toString('utf8') : Buffer.concat(parts).toString('utf8')),
    );
    response.on('error', reject);
  });
}

/** A read failure of the response body (a reset, a closed connection), as the SDK reports one. */
function bodyError(error: unknown): APIConnectionError {
  const reason = error instanceof Error ? error.message : String(error);
  const cause = new Error(`the connection was closed before the response ended (${reason})`, { cause: error });
  return new APIConnectionError({ message: cause.message, cause });
}

/** A body read whole: the abort's reason when the call was aborted, otherwise the SDK's connection error. */
async function readBodyText(body: ResponseBody, signal: AbortSignal): Promise<string> {
  try {
    return await readText(body);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw bodyError(error);
  }
}

/**
 * The lean upstream call of an OpenAI-compatible endpoint: `POST {baseURL}{path}` on the keep-alive undici `Pool` of
 * the endpoint's origin (from {@link UpstreamPools}, taken on the first call: shared with the other models of that
 * origin, reused across calls), the JSON body serialised once, the answer read as bytes and parsed once. The key and
 * headers are this transport's own, sent with each call. A pool only ever talks to its own origin and follows no
 * redirects, so the key goes nowhere else. Failures are the `openai` SDK's own error classes
 * (`APIError` with status, body and headers; `APIConnectionError`), so one error mapping serves both paths.
 * Aborting `signal` aborts the request and destroys its connection.
 */
export class OpenAiWireTransport {
  private readonly pools: UpstreamPools;
  /** The connection-per-call pools this transport made for itself (none given), closed by {@link OpenAiWireTransport.close}. */
  private readonly ownPools: UpstreamPools | undefined;
  private readonly origin: string;
  private pool: Pool | undefined;
  private readonly prefix: string;
  private readonly search: string;
  private readonly headers: Record<string, string>;

  constructor(options: OpenAiWireTransportOptions) {
    const base = new URL(options.baseURL.replace(/\/+$/, ''));
    this.pools = options.pools ?? new UpstreamPools({ keepAlive: false });
    this.ownPools = options.pools ? undefined : this.pools;
    this.origin = base.origin;
    this.prefix = base.pathname === '/' ? '' : base.pathname;
    const query = new URLSearchParams(options.query ?? {}).toString();
    this.search = query === '' ? '' : `?${query}`;
    this.headers = {
      accept: 'application/json',
      'content-type': 'application/json',
      ...options.headers,
      ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
    };
  }

  /**
   * Posts a JSON body and answers the parsed JSON of a 2xx answer.
   * @throws APIError for a non-2xx status; APIConnectionError when the connection fails; SyntaxError for a body that is not JSON.
   */
  async postJson(path: string, body: string, signal: AbortSignal): Promise<unknown> {
    if (signal.aborted) throw signal.reason;
    try {
      this.pool ??= await this.pools.pool(this.origin);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new APIConnectionError({ cause: error as Error });
    }
    // The answer read whole in one piece (`readWholeAnswer`), failing as `post` and `readBodyText` fail.
    const answer = await readWholeAnswer(this.pool, this.request(path, body), signal);
    if (!answer.ok) {
      if (signal.aborted) throw signal.reason;
      throw answer.started ? bodyError(answer.error) : new APIConnectionError({ cause: answer.error as Error });
    }
    const status = answer.status;
    if (status < 200 || status >= 300) throw statusError(status, answer.text, rawHeaderRecord(answer.rawHeaders));
    return JSON.parse(answer.text) as unknown;
  }

  /**
   * Posts a JSON body asking for server-sent events and iterates the `data:` payloads, parsed, until `[DONE]`
   * or the end of the body. An `event: error` or a payload with `error` throws the SDK's `APIError`.
   * @throws APIError for a non-2xx status; APIConnectionError when the connection fails or is cut mid-body.
   */
  async postEvents(path: string, body: string, signal: AbortSignal): Promise<AsyncIterator<unknown>> {
    const response = await this.post(path, body, signal);
    return serverSentEvents(response.body, response.headers)[Symbol.asyncIterator]();
  }

  /** Connections of the pool open and idle, waiting for the next call (after a stream, once the upstream ended its body). */
  get idleConnections(): number {
    return this.pool?.stats.free ?? 0;
  }

  /**
   * Ends the calls still running on the connections this transport made for itself (none are kept between calls) and
   * refuses later calls; given pools are closed by their owner.
   */
  async close(): Promise<void> {
    await this.ownPools?.close();
  }

  /** The `POST` of a JSON body to `path` (below the base URL's path, with its query). */
  private request(path: string, body: string) {
    return {
      path: `${this.prefix}${path}${this.search}`,
      method: 'POST' as const,
      headers: { ...this.headers, 'content-length': String(Buffer.byteLength(body)) },
      body,
    };
  }

  private async post(path: string, body: string, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    if (signal.aborted) throw signal.reason;
    let response: Dispatcher.ResponseData;
    try {
      this.pool ??= await this.pools.pool(this.origin);
      response = await this.pool.request({ ...this.request(path, body), signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new APIConnectionError({ cause: error as Error });
    }
    const status = response.statusCode;
    if (status >= 200 && status < 300) return response;
    throw statusError(status, await readBodyText(response.body, signal), response.headers);
  }
}

/** The SDK's error for a non-2xx answer, from its body (`{"error": {...}}` or text). */
function statusError(status: number, text: string, headers: ResponseHeaders): APIError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return APIError.generate(
    status,
    parsed as object | undefined,
    parsed === undefined ? text : undefined,
    webHeaders(headers),
  );
}

/** Listens to the body's `error` event after our own `destroy()`. */
function ignoreOwnAbort(): void {
  // The abort is ours: nothing to report.
}

/**
 * The `data:` payloads of an SSE body, parsed; stops at `[DONE]`. After `[DONE]` the rest of the body is drained so
 * the socket goes back to the pool; a consumer that stops early (or a failure) destroys the response and its socket.
 */
async function* serverSentEvents(response: ResponseBody, headers: ResponseHeaders): AsyncGenerator<unknown> {
  const decoder = new ServerSentEventDecoder();
  let done = false;
  try {
    for await (const part of response.iterator({ destroyOnReturn: false })) {
      for (const event of decoder.push(part as Buffer)) {
        if (event.data === '[DONE]') {
          done = true;
          return;
        }
        yield payloadOf(event, headers);
      }
    }
  } catch (error) {
    if (error instanceof APIError || error instanceof SyntaxError) throw error;
    throw bodyError(error);
  } finally {
    if (done && !response.readableEnded) response.resume();
    else if (!response.readableEnded) {
      // undici reports a body destroyed before its end as an `error` event (RequestAbortedError); this stop is ours,
      // and with no listener left after the loop that event would be an uncaught exception.
      response.on('error', ignoreOwnAbort);
      response.destroy();
    }
  }
  for (const rest of decoder.end()) if (rest.data !== '[DONE]') yield payloadOf(rest, headers);
}

function payloadOf(event: ServerSentEvent, headers: ResponseHeaders): unknown {
  let payload: unknown;
  try {
    payload = JSON.parse(event.data);
  } catch {
    throw new SyntaxError('Error reading response: malformed server-sent event JSON.');
  }
  const record = payload as { error?: unknown } | null;
  if (event.event === 'error')
    throw new APIError(undefined, (record?.error ?? payload) as object, undefined, webHeaders(headers));
  if (record !== null && typeof record === 'object' && record.error) {
    throw new APIError(undefined, record.error as object, undefined, webHeaders(headers));
  }
  return payload;
}

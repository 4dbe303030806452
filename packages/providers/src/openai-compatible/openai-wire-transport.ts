import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { APIConnectionError, APIError } from 'openai';
import { ServerSentEventDecoder } from './server-sent-event-decoder.js';
import type { ServerSentEvent } from './server-sent-event-decoder.js';

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
  /** Most sockets open to the upstream at once; 256 by default. */
  maxSockets?: number;
}

/** The HTTP headers of an answer as the SDK's errors carry them (only built when a call fails). */
function webHeaders(headers: IncomingHttpHeaders): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) result.append(name, item);
  }
  return result;
}

function readText(response: IncomingMessage): Promise<string> {
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

/**
 * The lean upstream call of an OpenAI-compatible endpoint: `POST {baseURL}{path}` on a keep-alive
 * `node:http(s)` agent (one pool of sockets per endpoint, reused across calls), the JSON body serialised
 * once, the answer read as bytes and parsed once. Failures are the `openai` SDK's own error classes
 * (`APIError` with status, body and headers; `APIConnectionError`), so one error mapping serves both paths.
 * Aborting `signal` destroys the request and its socket.
 */
export class OpenAiWireTransport {
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;
  private readonly base: URL;
  private readonly search: string;
  private readonly headers: Record<string, string>;

  constructor(options: OpenAiWireTransportOptions) {
    this.base = new URL(options.baseURL.replace(/\/+$/, ''));
    const secure = this.base.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256, scheduling: 'lifo' as const };
    this.agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.request = secure ? (httpsRequest as typeof httpRequest) : httpRequest;
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
    const response = await this.post(path, body, signal);
    let text: string;
    try {
      text = await readText(response);
    } catch (error) {
      throw bodyError(error);
    }
    return JSON.parse(text) as unknown;
  }

  /**
   * Posts a JSON body asking for server-sent events and iterates the `data:` payloads, parsed, until `[DONE]`
   * or the end of the body. An `event: error` or a payload with `error` throws the SDK's `APIError`.
   * @throws APIError for a non-2xx status; APIConnectionError when the connection fails or is cut mid-body.
   */
  async postEvents(path: string, body: string, signal: AbortSignal): Promise<AsyncIterator<unknown>> {
    const response = await this.post(path, body, signal);
    return serverSentEvents(response)[Symbol.asyncIterator]();
  }

  /** Sockets of the pool open and idle, waiting for the next call (after a stream, once the upstream ended its body). */
  get idleConnections(): number {
    return Object.values(this.agent.freeSockets).reduce((sum, sockets) => sum + (sockets?.length ?? 0), 0);
  }

  /** Closes the idle sockets of the pool. */
  close(): void {
    this.agent.destroy();
  }

  private post(path: string, body: string, signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const outgoing = this.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port,
          path: `${this.base.pathname}${path}${this.search}`,
          method: 'POST',
          agent: this.agent,
          headers: { ...this.headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve(response);
            return;
          }
          readText(response).then(
            (text) => reject(statusError(status, text, response.headers)),
            (error: unknown) => reject(bodyError(error)),
          );
        },
      );
      const onAbort = () => outgoing.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      outgoing.on('close', () => signal.removeEventListener('abort', onAbort));
      outgoing.on('error', (error) =>
        reject(signal.aborted ? signal.reason : new APIConnectionError({ cause: error })),
      );
      outgoing.end(body);
    });
  }
}

/** The SDK's error for a non-2xx answer, from its body (`{"error": {...}}` or text). */
function statusError(status: number, text: string, headers: IncomingHttpHeaders): APIError {
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

/**
 * The `data:` payloads of an SSE body, parsed; stops at `[DONE]`. After `[DONE]` the rest of the body is drained so
 * the socket goes back to the pool; a consumer that stops early (or a failure) destroys the response and its socket.
 */
async function* serverSentEvents(response: IncomingMessage): AsyncGenerator<unknown> {
  const decoder = new ServerSentEventDecoder();
  let done = false;
  try {
    for await (const part of response.iterator({ destroyOnReturn: false })) {
      for (const event of decoder.push(part as Buffer)) {
        if (event.data === '[DONE]') {
          done = true;
          return;
        }
        yield payloadOf(event, response.headers);
      }
    }
  } catch (error) {
    if (error instanceof APIError || error instanceof SyntaxError) throw error;
    throw bodyError(error);
  } finally {
    if (done && !response.complete) response.resume();
    else if (!response.complete) response.destroy();
  }
  for (const rest of decoder.end()) if (rest.data !== '[DONE]') yield payloadOf(rest, response.headers);
}

function payloadOf(event: ServerSentEvent, headers: IncomingHttpHeaders): unknown {
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

import { LlmopsError, parseWithSchema, systemClock, withRetry } from '@llmops/kernel';
import type { Clock, RetryPolicy } from '@llmops/kernel';
import type { z } from 'zod';
import { authorizationHeader } from './mlflow-auth.js';
import type { MlflowAuth } from './mlflow-auth.js';
import { mlflowErrorFromResponse } from './mlflow-error.js';

/** Settings of an MLflow client's HTTP transport. */
export interface HttpTransportSettings {
  /** The tracking server's base URL, `http(s)://host[:port][/prefix]` (MLflow's `MLFLOW_TRACKING_URI`). */
  trackingUri: string;
  /** Bearer or basic credentials. Credentials embedded in the URI (`http://user:password@host`) are used when this is absent. */
  auth?: MlflowAuth;
  /** The fetch implementation; defaults to the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds one attempt may take before it fails with `timeout`; default 30 000. */
  timeoutMs?: number;
  /** Retry policy for 429, 5xx and network failures (kernel's `withRetry`); default 3 attempts. */
  retry?: Partial<RetryPolicy>;
  /** Extra headers sent with every request (never put secrets here; use `auth`). */
  headers?: Record<string, string>;
  /** Clock for `Retry-After` dates and default timestamps; defaults to the system clock. */
  clock?: Clock;
}

/** A query parameter value: repeated for arrays, omitted when undefined. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;

/** One HTTP call to MLflow. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path below the tracking URI, starting with `/` (for example `/api/2.0/mlflow/runs/get`). */
  path: string;
  query?: Record<string, QueryValue>;
  /** A JSON body. */
  json?: unknown;
  /** A raw body (artifact uploads, OTLP). */
  body?: Uint8Array | string;
  headers?: Record<string, string>;
  /** Cancels the call (all attempts). */
  signal?: AbortSignal;
  /**
   * Whether repeating the call is harmless. Attempts that timed out are retried only when it is
   * (default: GET, PUT and DELETE are; POST and PATCH are not, since the server may have applied them).
   */
  idempotent?: boolean;
}

const defaultTimeoutMs = 30_000;

/**
 * Splits a tracking URI into the base URL used for requests and any credentials embedded in it.
 * @throws LlmopsError `invalid_input` when the URI is not an http(s) URL.
 */
export function parseTrackingUri(trackingUri: string): { baseUrl: string; auth: MlflowAuth | undefined } {
  let url: URL;
  try {
    url = new URL(trackingUri);
  } catch {
    throw new LlmopsError(
      'invalid_input',
      `MLflow tracking URI "${trackingUri}" is not a URL; expected http(s)://host[:port][/prefix]`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LlmopsError(
      'invalid_input',
      `MLflow tracking URI scheme "${url.protocol}" is not supported; expected an http(s) tracking server URL (local file and database stores are not reachable over REST)`,
    );
  }
  const auth: MlflowAuth | undefined =
    url.username === ''
      ? undefined
      : { type: 'basic', username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return { baseUrl: url.toString().replace(/\/+$/, ''), auth };
}

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (query === undefined) return '';
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly string[]) parameters.append(key, item);
    } else {
      parameters.append(key, String(value));
    }
  }
  const text = parameters.toString();
  return text === '' ? '' : `?${text}`;
}

function describeNetworkFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause !== undefined && typeof cause.code === 'string') return cause.code;
  if (cause !== undefined && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The one HTTP layer of the MLflow client: base URL, auth header, per-attempt timeout,
 * retries with kernel's `withRetry` and error mapping. Resource APIs build on it.
 */
export class HttpTransport {
  /** The base URL requests go to (credentials removed). */
  readonly baseUrl: string;
  /** The clock used for timestamps and `Retry-After` dates. */
  readonly clock: Clock;
  private readonly authorization: string | undefined;
  private readonly fetchImplementation: typeof globalThis.fetch;
  private readonly timeoutMs: number;
  private readonly retryPolicy: Partial<RetryPolicy> | undefined;
  private readonly headers: Record<string, string>;

  constructor(settings: HttpTransportSettings) {
    const { baseUrl, auth } = parseTrackingUri(settings.trackingUri);
    this.baseUrl = baseUrl;
    this.authorization = authorizationHeader(settings.auth ?? auth);
    this.fetchImplementation = settings.fetch ?? globalThis.fetch;
    this.timeoutMs = settings.timeoutMs ?? defaultTimeoutMs;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new LlmopsError(
        'invalid_input',
        `MLflow client timeoutMs is ${settings.timeoutMs}; expected a positive number of milliseconds`,
      );
    }
    this.retryPolicy = settings.retry;
    this.headers = { ...settings.headers };
    this.clock = settings.clock ?? systemClock;
  }

  /**
   * Sends a request and parses the JSON answer with `schema` (an empty body reads as `{}`).
   * @throws LlmopsError mapped from MLflow's answer, `timeout`, `unavailable` when unreachable,
   *   or `upstream_error` when the answer does not match the schema.
   */
  async json<Schema extends z.ZodType>(request: TransportRequest, schema: Schema): Promise<z.output<Schema>> {
    const text = await this.send(request, (response) => response.text());
    let value: unknown = {};
    if (text.trim() !== '') {
      try {
        value = JSON.parse(text);
      } catch {
        throw new LlmopsError(
          'upstream_error',
          `MLflow ${request.method} ${request.path} answered with a body that is not JSON: ${text.slice(0, 120)}`,
          { retryable: false },
        );
      }
    }
    return parseWithSchema(schema, value, {
      where: `MLflow ${request.method} ${request.path} answered with an unexpected shape (is the server MLflow 3.x?)`,
      code: 'upstream_error',
      retryable: false,
    });
  }

  /** Sends a request and returns the answer's bytes and content type. */
  async bytes(request: TransportRequest): Promise<{ body: Uint8Array; contentType: string | null }> {
    return this.send(request, async (response) => ({
      body: new Uint8Array(await response.arrayBuffer()),
      contentType: response.headers.get('content-type'),
    }));
  }

  /**
   * Sends a request with retries and hands a successful response to `read` (inside the attempt,
   * so a connection dropped while reading is retried too).
   */
  async send<T>(request: TransportRequest, read: (response: Response) => Promise<T>): Promise<T> {
    const idempotent =
      request.idempotent ?? (request.method === 'GET' || request.method === 'PUT' || request.method === 'DELETE');
    return withRetry(() => this.attempt(request, { idempotent, read }), {
      policy: this.retryPolicy,
      signal: request.signal,
    });
  }

  private async attempt<T>(
    request: TransportRequest,
    options: { idempotent: boolean; read: (response: Response) => Promise<T> },
  ): Promise<T> {
    const { method, path } = request;
    const timeoutSignal = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal === undefined ? timeoutSignal : AbortSignal.any([request.signal, timeoutSignal]);
    const headers: Record<string, string> = { accept: 'application/json', ...this.headers, ...request.headers };
    if (this.authorization !== undefined) headers['authorization'] = this.authorization;
    let body: Uint8Array | string | undefined = request.body;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = 'application/json';
    }
    try {
      const response = await this.fetchImplementation(`${this.baseUrl}${path}${buildQuery(request.query)}`, {
        method,
        headers,
        body: body as RequestInit['body'],
        signal,
      });
      if (!response.ok) {
        const bodyText = await response.text().catch(() => '');
        throw mlflowErrorFromResponse({
          status: response.status,
          bodyText,
          method,
          path,
          retryAfter: response.headers.get('retry-after'),
          nowMs: this.clock.now(),
        });
      }
      return await options.read(response);
    } catch (error) {
      if (LlmopsError.isInstance(error)) throw error;
      if (request.signal?.aborted) {
        const reason = request.signal.reason as { name?: unknown } | undefined;
        const code = reason?.name === 'TimeoutError' ? 'timeout' : 'unavailable';
        throw new LlmopsError(code, `MLflow ${method} ${path} was cancelled by the caller's signal`, {
          retryable: false,
          cause: error,
        });
      }
      if (timeoutSignal.aborted) {
        throw new LlmopsError('timeout', `MLflow ${method} ${path} did not answer within ${this.timeoutMs} ms`, {
          retryable: options.idempotent,
          cause: error,
        });
      }
      throw new LlmopsError(
        'unavailable',
        `MLflow ${method} ${path} could not reach ${this.baseUrl} (${describeNetworkFailure(error)}); is the tracking server running?`,
        { cause: error },
      );
    }
  }
}

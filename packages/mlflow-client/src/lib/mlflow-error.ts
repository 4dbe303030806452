import { LlmopsError, parseRetryAfter } from '@llmops/kernel';
import type { ErrorCode } from '@llmops/kernel';

/** What MLflow answered when a call failed, as carried in `LlmopsError.details`. */
export interface MlflowErrorDetails {
  /** The HTTP status MLflow answered with. */
  status: number;
  /** MLflow's `error_code` (for example `RESOURCE_DOES_NOT_EXIST`), when the body was MLflow's JSON error. */
  mlflowErrorCode: string | undefined;
  /** The HTTP method of the failed call. */
  method: string;
  /** The path of the failed call, without the query string. */
  path: string;
}

/** A failed HTTP answer from an MLflow server, as read by the transport. */
export interface MlflowErrorResponse {
  status: number;
  /** The raw body text (JSON, plain text or HTML). */
  bodyText: string;
  method: string;
  path: string;
  /** The `Retry-After` header, if any. */
  retryAfter?: string | null;
  /** Milliseconds since the epoch, for `Retry-After` dates. */
  nowMs?: number;
}

/** MLflow `error_code`s and the llmops code each maps to. */
const mlflowCodeMap: Record<string, ErrorCode> = {
  RESOURCE_DOES_NOT_EXIST: 'not_found',
  NOT_FOUND: 'not_found',
  ENDPOINT_NOT_FOUND: 'not_found',
  RESOURCE_ALREADY_EXISTS: 'conflict',
  ALREADY_EXISTS: 'conflict',
  INVALID_STATE: 'conflict',
  ABORTED: 'conflict',
  INVALID_PARAMETER_VALUE: 'invalid_input',
  BAD_REQUEST: 'invalid_input',
  MALFORMED_REQUEST: 'invalid_input',
  INVALID_STATE_TRANSITION: 'invalid_input',
  UNAUTHENTICATED: 'unauthorized',
  PERMISSION_DENIED: 'forbidden',
  REQUEST_LIMIT_EXCEEDED: 'rate_limited',
  RESOURCE_EXHAUSTED: 'rate_limited',
  TEMPORARILY_UNAVAILABLE: 'unavailable',
};

const maxQuotedBody = 300;

/** Reads MLflow's JSON error body (`{"error_code": ..., "message": ...}`) or describes a plain-text/HTML body. */
export function readErrorBody(bodyText: string): { mlflowErrorCode: string | undefined; message: string } {
  const trimmed = bodyText.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      const code = typeof parsed['error_code'] === 'string' ? parsed['error_code'] : undefined;
      // FastAPI routes (/v1/traces) answer `{"detail": "..."}` instead of MLflow's shape.
      const message = [parsed['message'], parsed['detail']].find((value) => typeof value === 'string') as
        string | undefined;
      if (code !== undefined || message !== undefined) return { mlflowErrorCode: code, message: message ?? '' };
    } catch {
      // Not JSON after all: described as text below.
    }
  }
  return { mlflowErrorCode: undefined, message: describeTextBody(trimmed) };
}

/** Turns a plain-text or HTML body into one short line (tags dropped, whitespace collapsed, cut at 300 characters). */
function describeTextBody(text: string): string {
  const withoutMarkup = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return withoutMarkup.length > maxQuotedBody ? `${withoutMarkup.slice(0, maxQuotedBody)}…` : withoutMarkup;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'invalid_input';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  if (status === 504) return 'timeout';
  return 'upstream_error';
}

function hint(code: ErrorCode): string {
  switch (code) {
    case 'unauthorized':
      return '; set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, to credentials the server accepts';
    case 'forbidden':
      return '; the credentials are valid but lack permission for this resource';
    default:
      return '';
  }
}

/**
 * Maps a failed MLflow answer to an LlmopsError: MLflow's `error_code` decides where present
 * (`RESOURCE_DOES_NOT_EXIST` -> not_found, `RESOURCE_ALREADY_EXISTS` -> conflict,
 * `INVALID_PARAMETER_VALUE` -> invalid_input), then the status (401 unauthorized, 403 forbidden,
 * 429 rate_limited, 5xx retryable). Plain-text and HTML bodies are quoted in short.
 */
export function mlflowErrorFromResponse(response: MlflowErrorResponse): LlmopsError {
  const { status, method, path } = response;
  const { mlflowErrorCode, message } = readErrorBody(response.bodyText);
  let code: ErrorCode;
  if (status === 401 || status === 403 || status === 429 || status >= 500) {
    code = codeForStatus(status);
  } else {
    code = (mlflowErrorCode === undefined ? undefined : mlflowCodeMap[mlflowErrorCode]) ?? codeForStatus(status);
  }
  const retryable = status === 429 || status >= 500;
  const retryAfterMs = retryable ? parseRetryAfter(response.retryAfter, response.nowMs) : undefined;
  const what = mlflowErrorCode === undefined ? `HTTP ${status}` : `HTTP ${status} ${mlflowErrorCode}`;
  const said = message.length > 0 ? `: ${message}` : ' with an empty body';
  const details: MlflowErrorDetails = { status, mlflowErrorCode, method, path };
  return new LlmopsError(code, `MLflow ${method} ${path} failed with ${what}${said}${hint(code)}`, {
    retryable,
    retryAfterMs,
    details,
  });
}

/** The MLflow details of an error raised by this client, if it carries them. */
export function mlflowDetailsOf(error: unknown): MlflowErrorDetails | undefined {
  if (!LlmopsError.isInstance(error)) return undefined;
  const details = error.details as Partial<MlflowErrorDetails> | undefined;
  return details !== undefined && typeof details === 'object' && typeof details.status === 'number'
    ? (details as MlflowErrorDetails)
    : undefined;
}

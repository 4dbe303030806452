import { LlmopsError } from '@llmops/kernel';
import { readJsonFixture } from './__fixtures__/http-test-server.js';
import { mlflowDetailsOf, mlflowErrorFromResponse, readErrorBody } from './mlflow-error.js';

interface BodyFixture {
  status: number;
  body: string;
  retryAfter?: string;
}

const bodies = readJsonFixture<Record<string, BodyFixture>>('mlflow-error-bodies.json');

function mapped(name: string, options: { method?: string; path?: string } = {}) {
  const fixture = bodies[name] as BodyFixture;
  return mlflowErrorFromResponse({
    status: fixture.status,
    bodyText: fixture.body,
    method: options.method ?? 'GET',
    path: options.path ?? '/api/2.0/mlflow/experiments/get-by-name',
    retryAfter: fixture.retryAfter,
    nowMs: 0,
  });
}

describe('mapping MLflow error answers to LlmopsErrors', () => {
  it.each([
    ['experimentNotFound', 'not_found', false],
    ['artifactMissing', 'not_found', false],
    ['modelAlreadyExists', 'conflict', false],
    ['paramChanged', 'invalid_input', false],
    ['aliasMissing', 'invalid_input', false],
    ['unknownEndpointHtml', 'not_found', false],
    ['notAuthenticated', 'unauthorized', false],
    ['permissionDenied', 'forbidden', false],
    ['otlpMissingHeader', 'invalid_input', false],
    ['otlpBadContentType', 'invalid_input', false],
    ['proxyBadGateway', 'upstream_error', true],
    ['internalError', 'upstream_error', true],
    ['tooManyRequests', 'rate_limited', true],
  ] as const)('%s -> %s (retryable: %s)', (name, code, retryable) => {
    const error = mapped(name);
    expect(LlmopsError.isInstance(error)).toBe(true);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it("quotes MLflow's message and error code and names the call", () => {
    const error = mapped('experimentNotFound');
    expect(error.message).toBe(
      "MLflow GET /api/2.0/mlflow/experiments/get-by-name failed with HTTP 404 RESOURCE_DOES_NOT_EXIST: Could not find experiment with name 'nope'",
    );
    expect(mlflowDetailsOf(error)).toEqual({
      status: 404,
      mlflowErrorCode: 'RESOURCE_DOES_NOT_EXIST',
      method: 'GET',
      path: '/api/2.0/mlflow/experiments/get-by-name',
    });
  });

  it('reduces an HTML page to its text', () => {
    const error = mapped('unknownEndpointHtml', { path: '/api/2.0/mlflow/nothing' });
    expect(error.message).toContain('HTTP 404: 404 Not Found Not Found The requested URL was not found on the server.');
    expect(error.message).not.toContain('<');
  });

  it("reads a proxy's HTML error page in one line", () => {
    expect(mapped('proxyBadGateway').message).toContain('HTTP 502: 502 Bad Gateway 502 Bad Gateway nginx/1.25.3');
  });

  it('explains a 401 with the variables to set, a 403 as a permission problem', () => {
    expect(mapped('notAuthenticated').message).toMatch(
      /You are not authenticated.*set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD/,
    );
    expect(mapped('permissionDenied').message).toMatch(
      /Permission denied; the credentials are valid but lack permission/,
    );
  });

  it('reads FastAPI `detail` bodies of the OTLP route', () => {
    expect(readErrorBody((bodies['otlpBadContentType'] as BodyFixture).body).message).toBe(
      'Invalid Content-Type: text/plain. Expected: application/x-protobuf or application/json',
    );
  });

  it('keeps Retry-After of a 429 for the retry policy', () => {
    expect(mapped('tooManyRequests').retryAfterMs).toBe(2000);
  });

  it('says so when the body is empty, and cuts long text bodies', () => {
    const empty = mlflowErrorFromResponse({
      status: 503,
      bodyText: '',
      method: 'POST',
      path: '/api/2.0/mlflow/runs/log-batch',
    });
    expect(empty.code).toBe('unavailable');
    expect(empty.message).toBe('MLflow POST /api/2.0/mlflow/runs/log-batch failed with HTTP 503 with an empty body');
    const long = mlflowErrorFromResponse({ status: 500, bodyText: 'x'.repeat(5000), method: 'GET', path: '/p' });
    expect(long.message.length).toBeLessThan(400);
  });

  it("does not take JSON-looking text that is not JSON for MLflow's shape", () => {
    expect(readErrorBody('{not json')).toEqual({ mlflowErrorCode: undefined, message: '{not json' });
  });
});

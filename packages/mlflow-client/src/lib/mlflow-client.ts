import { LlmopsError } from '@llmops/kernel';
import { ArtifactsApi } from './artifacts-api.js';
import { ExperimentsApi } from './experiments-api.js';
import { HttpTransport } from './http-transport.js';
import type { HttpTransportSettings } from './http-transport.js';
import type { MlflowAuth } from './mlflow-auth.js';
import { PromptsApi } from './prompts-api.js';
import { RegistryApi } from './registry-api.js';
import { RunsApi } from './runs-api.js';
import { TracesApi } from './traces-api.js';

/** Settings of {@link MlflowClient}: the tracking URI plus optional auth, fetch, timeout, retry, headers and clock. */
export type MlflowClientSettings = HttpTransportSettings;

/**
 * A typed client of an MLflow 3.x tracking server's REST API, one member per resource group.
 * Every method validates its input first (failing with `invalid_input` naming the field), maps
 * MLflow's errors to LlmopsError codes, retries 429/5xx with backoff and never logs.
 */
export class MlflowClient {
  /** Experiments: create, get by id or name, search, tag. */
  readonly experiments: ExperimentsApi;
  /** Runs: create, update, end, get, search, log-batch, metric history. */
  readonly runs: RunsApi;
  /** Registered models, model versions, tags and aliases (prompts excluded from listings). */
  readonly registry: RegistryApi;
  /** Prompts in MLflow's Prompt Registry convention. */
  readonly prompts: PromptsApi;
  /** Artifacts through the `mlflow-artifacts` proxy. */
  readonly artifacts: ArtifactsApi;
  /** Traces by OTLP/HTTP, read back by the v3 REST API. */
  readonly traces: TracesApi;
  private readonly transport: HttpTransport;

  constructor(settings: MlflowClientSettings) {
    this.transport = new HttpTransport(settings);
    this.experiments = new ExperimentsApi(this.transport);
    this.runs = new RunsApi(this.transport);
    this.registry = new RegistryApi(this.transport);
    this.prompts = new PromptsApi(this.registry);
    this.artifacts = new ArtifactsApi(this.transport, this.runs);
    this.traces = new TracesApi(this.transport);
  }

  /** The base URL requests go to (credentials removed). */
  get trackingUri(): string {
    return this.transport.baseUrl;
  }

  /**
   * Checks that the server answers `GET /health`.
   * @throws LlmopsError `unavailable` when it cannot be reached, or the mapped error of its answer.
   */
  async health(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.transport.send({ method: 'GET', path: '/health', signal: options.signal }, (response) =>
      response.text(),
    );
  }
}

/** Creates an {@link MlflowClient}. */
export function createMlflowClient(settings: MlflowClientSettings): MlflowClient {
  return new MlflowClient(settings);
}

/**
 * Reads MLflow's own variables: `MLFLOW_TRACKING_URI` (required), `MLFLOW_TRACKING_USERNAME` +
 * `MLFLOW_TRACKING_PASSWORD` (basic auth, preferred as in MLflow's client) or
 * `MLFLOW_TRACKING_TOKEN` (bearer), `MLFLOW_HTTP_REQUEST_TIMEOUT` (seconds) and
 * `MLFLOW_HTTP_REQUEST_MAX_RETRIES`.
 * @throws LlmopsError `invalid_input` naming the variable that is missing or malformed (never its secret value).
 */
export function readMlflowEnv(
  env: Record<string, string | undefined>,
): Pick<MlflowClientSettings, 'trackingUri' | 'auth' | 'timeoutMs' | 'retry'> {
  const trackingUri = env['MLFLOW_TRACKING_URI']?.trim();
  if (trackingUri === undefined || trackingUri === '') {
    throw new LlmopsError(
      'invalid_input',
      'MLFLOW_TRACKING_URI is not set; expected the URL of an MLflow tracking server, for example http://127.0.0.1:5000',
    );
  }
  const username = env['MLFLOW_TRACKING_USERNAME'];
  const password = env['MLFLOW_TRACKING_PASSWORD'];
  const token = env['MLFLOW_TRACKING_TOKEN'];
  let auth: MlflowAuth | undefined;
  if ((username ?? '') !== '' || (password ?? '') !== '') {
    if ((username ?? '') === '' || (password ?? '') === '') {
      const missing = (username ?? '') === '' ? 'MLFLOW_TRACKING_USERNAME' : 'MLFLOW_TRACKING_PASSWORD';
      throw new LlmopsError(
        'invalid_input',
        `${missing} is not set; basic auth needs both MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD`,
      );
    }
    auth = { type: 'basic', username: username as string, password: password as string };
  } else if (token !== undefined && token !== '') {
    auth = { type: 'bearer', token };
  }
  const settings: Pick<MlflowClientSettings, 'trackingUri' | 'auth' | 'timeoutMs' | 'retry'> = { trackingUri, auth };
  const timeout = env['MLFLOW_HTTP_REQUEST_TIMEOUT'];
  if (timeout !== undefined && timeout !== '') {
    const seconds = Number(timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new LlmopsError(
        'invalid_input',
        `MLFLOW_HTTP_REQUEST_TIMEOUT is "${timeout}"; expected a positive number of seconds`,
      );
    }
    settings.timeoutMs = seconds * 1000;
  }
  const retries = env['MLFLOW_HTTP_REQUEST_MAX_RETRIES'];
  if (retries !== undefined && retries !== '') {
    const count = Number(retries);
    if (!Number.isInteger(count) || count < 0) {
      throw new LlmopsError(
        'invalid_input',
        `MLFLOW_HTTP_REQUEST_MAX_RETRIES is "${retries}"; expected a whole number >= 0`,
      );
    }
    settings.retry = { maxAttempts: count + 1 };
  }
  return settings;
}

/**
 * Creates an {@link MlflowClient} from MLflow's environment variables (see {@link readMlflowEnv}),
 * with `overrides` (for example `fetch`) taking precedence.
 */
export function createMlflowClientFromEnv(
  env: Record<string, string | undefined>,
  overrides: Partial<MlflowClientSettings> = {},
): MlflowClient {
  return new MlflowClient({ ...readMlflowEnv(env), ...overrides });
}

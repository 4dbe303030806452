/**
 * How the client authenticates to MLflow: a bearer token (`MLFLOW_TRACKING_TOKEN`) or HTTP basic
 * credentials (`MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD`), as MLflow's own clients do.
 */
export type MlflowAuth = { type: 'bearer'; token: string } | { type: 'basic'; username: string; password: string };

/** The `Authorization` header value for `auth`, or undefined without auth. */
export function authorizationHeader(auth: MlflowAuth | undefined): string | undefined {
  if (auth === undefined) return undefined;
  if (auth.type === 'bearer') return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

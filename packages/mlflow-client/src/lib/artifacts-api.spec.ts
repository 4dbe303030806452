import { artifactProxyRoot } from './artifacts-api.js';

describe('finding the artifact proxy path of an artifact root', () => {
  it.each([
    ['mlflow-artifacts:/1/abc/artifacts', '1/abc/artifacts'],
    ['mlflow-artifacts://mlflow.internal:5000/1/abc/artifacts/', '1/abc/artifacts'],
    ['http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts', '1/abc/artifacts'],
    ['https://host/prefix/api/2.0/mlflow-artifacts/artifacts/7/r%20x/artifacts', '7/r x/artifacts'],
  ])('%s -> %s', (uri, path) => {
    expect(artifactProxyRoot(uri)).toBe(path);
  });

  it.each(['s3://bucket/1/abc/artifacts', 'file:///tmp/mlruns/1/abc/artifacts', 'https://host/other/path'])(
    'refuses %s',
    (uri) => {
      expect(() => artifactProxyRoot(uri)).toThrow(/is not served by MLflow's artifact proxy/);
    },
  );
});

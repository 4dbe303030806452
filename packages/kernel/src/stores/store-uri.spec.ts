import { parseStoreUri } from './store-uri.js';

describe('parseStoreUri', () => {
  it('reads SQLite paths and MLflow tracking URIs', () => {
    expect(parseStoreUri('sqlite:.llmops/llmops.db')).toEqual({ kind: 'sqlite', path: '.llmops/llmops.db' });
    expect(parseStoreUri('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(parseStoreUri('http://127.0.0.1:5000/')).toEqual({ kind: 'mlflow', trackingUri: 'http://127.0.0.1:5000' });
    expect(parseStoreUri('https://mlflow.example.com/base')).toEqual({
      kind: 'mlflow',
      trackingUri: 'https://mlflow.example.com/base',
    });
  });

  it('rejects anything else, saying what is expected', () => {
    expect(() => parseStoreUri('postgres://x')).toThrow(
      'store "postgres://x" is neither sqlite:<path> nor an http(s):// MLflow tracking URI',
    );
    expect(() => parseStoreUri('sqlite:')).toThrow('has no file path');
    expect(() => parseStoreUri('http://')).toThrow('is not a valid URL');
  });
});

import { LlmopsError } from '@llmops/kernel';
import type { MlflowClient } from '../lib/mlflow-client.js';

/** What every integration suite gets for one backend. */
export interface SuiteContext {
  backend: 'sqlite' | 'postgresql';
  trackingUri: string;
  workspaceRoot: string;
  client: MlflowClient;
  /** A name no other test (nor an earlier run) uses: `<prefix>-<backend>-<time>-<n>`. */
  unique(prefix: string): string;
}

let counter = 0;

/** Makes the `unique` of a suite context. */
export function uniqueNames(backend: string): (prefix: string) => string {
  const stamp = Date.now().toString(36);
  return (prefix) => {
    counter += 1;
    return `${prefix}-${backend}-${stamp}-${counter}`;
  };
}

/** The LlmopsError a call fails with (fails the test when it succeeds or throws something else). */
export async function failure(call: Promise<unknown>): Promise<LlmopsError> {
  try {
    await call;
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Collects an async iterator. */
export async function collect<Item>(iterator: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

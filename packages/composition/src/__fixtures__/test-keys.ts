import { ApiKeys, SqliteApiKeyStore } from '@llmops/serving';
import { createAccessControl } from '../http/access-control.js';
import type { AccessCheck } from '../http/access-control.js';

/** Access control over a throw-away key store, with one admin and one inference key, for route tests. */
export async function testAccess(options: { anonymousInference?: boolean } = {}): Promise<{
  access: AccessCheck;
  keys: ApiKeys;
  adminKey: string;
  inferenceKey: string;
}> {
  const keys = new ApiKeys({ store: new SqliteApiKeyStore({ path: ':memory:' }) });
  const admin = await keys.create({ name: 'test admin', role: 'admin' });
  const inference = await keys.create({ name: 'test inference', role: 'inference' });
  return {
    access: createAccessControl({ keys, ...options }),
    keys,
    adminKey: admin.apiKey,
    inferenceKey: inference.apiKey,
  };
}

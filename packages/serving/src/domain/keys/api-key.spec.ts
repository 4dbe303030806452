import { createHash } from 'node:crypto';
import { formatApiKey, hashApiKeySecret, newApiKeyId, newApiKeySecret, parseApiKey } from './api-key.js';

describe('API key format', () => {
  it('formats llmops-<id>-<secret> and parses it back, secrets with - and _ included', () => {
    const id = newApiKeyId();
    const secret = newApiKeySecret();
    const key = formatApiKey(id, secret);
    expect(key).toMatch(/^llmops-[0-9a-f]{12}-[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key)).toEqual({ id, secret });
    expect(parseApiKey(formatApiKey('0123456789ab', `-_${'a'.repeat(41)}`))).toEqual({
      id: '0123456789ab',
      secret: `-_${'a'.repeat(41)}`,
    });
  });

  it('does not parse other tokens', () => {
    for (const token of [
      'admin-secret',
      'llmops-xyz-abc',
      `sk-${'a'.repeat(48)}`,
      `llmops-0123456789ab-${'a'.repeat(42)}`,
    ])
      expect(parseApiKey(token)).toBeUndefined();
  });

  it('stores the hex SHA-256 of the secret, never the secret', () => {
    const secret = newApiKeySecret();
    expect(hashApiKeySecret(secret)).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hashApiKeySecret(secret)).not.toContain(secret);
    expect(newApiKeySecret()).not.toBe(secret);
  });
});

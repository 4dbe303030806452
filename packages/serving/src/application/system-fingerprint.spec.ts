import type { ServableModel } from '../ports.js';
import { systemFingerprint } from './system-fingerprint.js';

const model: Pick<ServableModel, 'name' | 'version' | 'provider'> = {
  name: 'writer',
  version: 4,
  provider: { provider: 'openai', model: 'gpt-4o-mini' },
};

describe('systemFingerprint', () => {
  it('passes the upstream’s fingerprint on when it reports one', () => {
    expect(systemFingerprint(model, 'fp_06737a9306')).toBe('fp_06737a9306');
  });

  it('otherwise gives a stable fingerprint of the version and its provider', () => {
    const own = systemFingerprint(model);
    expect(own).toMatch(/^fp_[0-9a-f]{10}$/);
    expect(systemFingerprint(model, null)).toBe(own);
    expect(systemFingerprint(model, '')).toBe(own);
    expect(systemFingerprint({ ...model, version: 5 })).not.toBe(own);
    expect(systemFingerprint({ ...model, provider: { provider: 'openai', model: 'gpt-4o' } })).not.toBe(own);
  });
});

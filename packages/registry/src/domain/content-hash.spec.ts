import { canonicalJson, contentHash, textHash } from './content-hash.js';

describe('content hashing', () => {
  it('does not depend on key order, and skips undefined values', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(contentHash({ x: 1, y: 2 })).toBe(contentHash({ y: 2, x: 1 }));
    expect(contentHash({ x: 1 })).not.toBe(contentHash({ x: 2 }));
  });

  it('gives sha256:<hex>', () => {
    expect(textHash('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(contentHash('x')).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

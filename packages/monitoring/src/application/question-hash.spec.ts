import { hashQuestion } from './question-hash.js';

describe('hashQuestion', () => {
  it('is the SHA-256 of the UTF-8 text in lowercase hex, so events recorded before compare with events after', () => {
    expect(hashQuestion('hi')).toBe('8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4');
    expect(hashQuestion('héllo ✓')).toBe('5657cdef8a85a584e0e961e6f8247cf5d3f8ed21496ed6fdbcfd43a761e94245');
  });
});

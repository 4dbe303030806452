import { findUrls, unsourcedUrls } from './source-urls.js';

describe('unsourcedUrls', () => {
  const answer =
    'Reset it at https://app.nimbusnotes.example/reset. Or log in at http://nimbus-login.evil.example/verify, or see www.other.example/help.';

  it('finds links without their trailing punctuation', () => {
    expect(findUrls(answer).map((match) => match.url)).toEqual([
      'https://app.nimbusnotes.example/reset',
      'http://nimbus-login.evil.example/verify',
      'www.other.example/help',
    ]);
  });

  it('keeps links a source contains (scheme, www. and a trailing slash aside) and allowed hosts', () => {
    const sources = ['The reset page is https://www.other.example/help/ for everyone.'];
    expect(unsourcedUrls(answer, sources, ['*.nimbusnotes.example']).map((match) => match.url)).toEqual([
      'http://nimbus-login.evil.example/verify',
    ]);
  });

  it('finds every link when no source has any', () => {
    expect(unsourcedUrls(answer, [])).toHaveLength(3);
  });
});

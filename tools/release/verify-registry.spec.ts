import { describe, expect, it } from '@jest/globals';
import { publishFailureText } from './verify-registry.js';

describe('publishFailureText', () => {
  it("puts npm's own error lines first, whatever Nx printed after them", () => {
    // The walkthrough's release:verify printed the Error whole: tarball listings, "… 42546 more characters", and
    // "Failed tasks: serving:nx-release-publish", never npm's reason.
    const listing = Array.from({ length: 400 }, (_, index) => `4.9kB  dist/file-${index}.js`).join('\n');
    const failure = {
      stdout: `> nx run serving:nx-release-publish\n${listing}\nnpm error code E413\nnpm error 413 Payload Too Large - PUT http://127.0.0.1:4873/@llmops%2fserving\n${listing}`,
      stderr:
        '\u001b[31m NX \u001b[39m Running target nx-release-publish for 9 projects failed\n\nFailed tasks:\n\n- serving:nx-release-publish\n',
    };
    const text = publishFailureText(failure);
    expect(text.split('\n').slice(0, 2)).toEqual([
      'npm error code E413',
      'npm error 413 Payload Too Large - PUT http://127.0.0.1:4873/@llmops%2fserving',
    ]);
    expect(text).toContain('- serving:nx-release-publish');
    expect(text).not.toContain('\u001b[');
  });
});

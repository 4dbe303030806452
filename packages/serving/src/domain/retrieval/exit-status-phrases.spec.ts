import { canonicalExitStatusPhrases } from './exit-status-phrases.js';

describe('canonicalExitStatusPhrases', () => {
  it('writes every name of an exit status as "exit status", in questions, headings and text', () => {
    expect(canonicalExitStatusPhrases('What exit code does grep return?')).toBe('What exit status does grep return?');
    expect(canonicalExitStatusPhrases('EXIT CODES')).toBe('exit status');
    expect(canonicalExitStatusPhrases('RETURN VALUE')).toBe('exit status');
    expect(canonicalExitStatusPhrases('a non-zero return-code, or exit values')).toBe(
      'a non-zero exit status, or exit status',
    );
  });

  it('leaves other uses of the words alone', () => {
    const text = 'Press Return to exit. The code is in the status bar; exiting returns the value.';
    expect(canonicalExitStatusPhrases(text)).toBe(text);
  });
});

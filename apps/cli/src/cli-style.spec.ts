import { cliStyle, colorEnabled } from './cli-style.js';

describe('colour decisions (no-color.org, FORCE_COLOR)', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1' }, true],
    [false, { FORCE_COLOR: '' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: 'false' }, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
  ])('a stream with isTTY=%s and env %j is coloured: %s', (isTTY, env, expected) => {
    expect(colorEnabled({ isTTY, env })).toBe(expected);
  });

  it('styles with ANSI escapes only when enabled', () => {
    expect(cliStyle(true).error('error:')).toBe('\u001b[31merror:\u001b[39m');
    expect(cliStyle(true).failure('FAIL')).toBe('\u001b[1m\u001b[31mFAIL\u001b[39m\u001b[22m');
    expect(cliStyle(false).error('error:')).toBe('error:');
    expect(cliStyle(false).success('pass')).toBe('pass');
  });
});

import { createInferenceProgress } from './inference-progress.js';

function recorder(interactive: boolean, total: number) {
  const written: string[] = [];
  let now = 0;
  const progress = createInferenceProgress({
    write: (text) => written.push(text),
    interactive,
    total,
    now: () => now,
    label: 'inference',
  });
  return { written, progress, advance: (ms: number) => (now += ms) };
}

describe('inference progress', () => {
  it('prints one plain line per tenth of the run off a terminal, with rate, ETA and failures', () => {
    const { written, progress, advance } = recorder(false, 40);
    for (let done = 1; done <= 40; done += 1) {
      advance(250);
      progress.tick({ done, failed: done > 30 ? 1 : 0 });
    }
    progress.finish();
    expect(written).toHaveLength(10);
    expect(written[0]).toBe('inference 4/40 10% 4.0/s ETA 9s\n');
    expect(written[9]).toBe('inference 40/40 100% 4.0/s ETA 0s, 1 failed\n');
  });

  it('redraws one bar in place on a terminal, at most every 100 ms, and ends its line', () => {
    const { written, progress, advance } = recorder(true, 4);
    progress.tick({ done: 1, failed: 0 });
    advance(10);
    progress.tick({ done: 2, failed: 0 });
    advance(200);
    progress.tick({ done: 4, failed: 0 });
    progress.finish();
    expect(written).toEqual([
      expect.stringMatching(/^\r\[#{7}\.{21}\] inference 1\/4 25% /),
      expect.stringMatching(/^\r\[#{28}\] inference 4\/4 100% .* ETA 0s/),
      '\n',
    ]);
    // Each redraw clears the rest of the terminal line (ANSI erase to end of line).
    expect(written[1]?.endsWith('\u001b[K')).toBe(true);
  });
});

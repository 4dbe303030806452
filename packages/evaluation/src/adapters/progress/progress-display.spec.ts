import { createProgressDisplay } from './progress-display.js';

const event = (done: number, total: number) => ({
  done,
  total,
  failed: done === 2 ? 1 : 0,
  exampleId: `q${done}`,
  elapsedMs: done * 100,
  judge: { calls: done * 3, cacheHits: 1, errors: 0 },
});

describe('progress display', () => {
  it('redraws one bar in place on a terminal and ends its line on finish', () => {
    const written: string[] = [];
    const display = createProgressDisplay({
      write: (text) => written.push(text),
      interactive: true,
      label: 'evaluate',
      width: 10,
    });
    display.update(event(1, 4));
    display.update(event(2, 4));
    display.finish();
    expect(written).toEqual([
      '\revaluate [###.......] 1/4 25% 0.1 s judge 3 calls, 1 cached\u001b[K',
      '\revaluate [#####.....] 2/4 50% 0.2 s judge 6 calls, 1 cached, 1 failed\u001b[K',
      '\n',
    ]);
  });

  it('prints plain lines at every tenth elsewhere (every example for short runs)', () => {
    const written: string[] = [];
    const display = createProgressDisplay({ write: (text) => written.push(text), interactive: false });
    for (let done = 1; done <= 100; done += 1) display.update(event(done, 100));
    display.finish();
    expect(written).toHaveLength(11);
    expect(written[0]).toBe('1/100 (1%) 0.1 s judge 3 calls, 1 cached\n');
    expect(written[10]).toBe('100/100 (100%) 10.0 s judge 300 calls, 1 cached\n');
    const short: string[] = [];
    const few = createProgressDisplay({ write: (text) => short.push(text), interactive: false });
    for (let done = 1; done <= 3; done += 1) few.update(event(done, 3));
    expect(short).toHaveLength(3);
  });
});

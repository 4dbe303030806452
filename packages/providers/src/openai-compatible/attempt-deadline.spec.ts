import { setTimeout as sleep } from 'node:timers/promises';
import { AttemptDeadline } from './attempt-deadline.js';

const timeoutMs = 40;

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

describe('AttemptDeadline', () => {
  it('aborts as a timeout when nothing restarts it', async () => {
    const deadline = new AttemptDeadline({ timeoutMs });

    await aborted(deadline.signal);

    expect(deadline.timedOut).toBe(true);
    expect(deadline.callerAborted).toBe(false);
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('does not count the time it is paused, and times out a whole timeout after the restart', async () => {
    const deadline = new AttemptDeadline({ timeoutMs });
    for (let chunk = 0; chunk < 3; chunk += 1) {
      deadline.pause();
      // The consumer holds the chunk longer than the timeout: that time is not the upstream's.
      await sleep(timeoutMs * 2);
      expect(deadline.signal.aborted).toBe(false);
      deadline.restart();
    }

    await aborted(deadline.signal);

    expect(deadline.timedOut).toBe(true);
    deadline.dispose();
  });

  it('never aborts once disposed, and follows the caller signal until then', async () => {
    const disposed = new AttemptDeadline({ timeoutMs });
    disposed.dispose();
    await sleep(timeoutMs * 3);
    expect(disposed.signal.aborted).toBe(false);

    const caller = new AbortController();
    const followed = new AttemptDeadline({ timeoutMs: 60_000, callerSignal: caller.signal });
    caller.abort(new Error('client gone'));
    expect(followed.signal.aborted).toBe(true);
    expect(followed.callerAborted).toBe(true);
    expect(followed.timedOut).toBe(false);
    followed.dispose();
  });
});

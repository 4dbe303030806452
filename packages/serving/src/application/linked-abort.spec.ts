import { LinkedAbort } from './linked-abort.js';

describe('LinkedAbort', () => {
  it('aborts with the outer signal and its reason', () => {
    const outer = new AbortController();
    const linked = new LinkedAbort(outer.signal);
    const reason = new Error('client gone');
    outer.abort(reason);
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe(reason);
  });

  it('starts aborted when the outer signal already is', () => {
    const outer = new AbortController();
    outer.abort('early');
    expect(new LinkedAbort(outer.signal).signal.reason).toBe('early');
  });

  it('aborts on its own without touching the outer signal, and without an outer signal at all', () => {
    const outer = new AbortController();
    const linked = new LinkedAbort(outer.signal);
    linked.abort('stopped');
    expect([linked.signal.aborted, linked.signal.reason, outer.signal.aborted]).toEqual([true, 'stopped', false]);
    const alone = new LinkedAbort(undefined);
    alone.abort();
    expect(alone.signal.aborted).toBe(true);
  });

  it('no longer follows the outer signal once released', () => {
    const outer = new AbortController();
    const linked = new LinkedAbort(outer.signal);
    linked.release();
    outer.abort();
    expect(linked.signal.aborted).toBe(false);
  });
});

/** Options of {@link createInferenceProgress}. */
export interface InferenceProgressOptions {
  /** Writes text (stderr, so that `--json` output on stdout stays clean). */
  write: (text: string) => void;
  /** True on a terminal: one bar redrawn in place; false: a plain line at every tenth of the run. */
  interactive: boolean;
  /** Lines to answer in this run. */
  total: number;
  /** Milliseconds since some fixed point (`performance.now`). */
  now: () => number;
  label: string;
}

/** Progress of an inference run; `tick` after every finished line, `finish` ends the bar's line. */
export interface InferenceProgress {
  tick(counts: { done: number; failed: number }): void;
  finish(): void;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s`;
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

/**
 * On a terminal a bar redrawn in place (`\r`): lines done of this run's total, share, rate, ETA and
 * failures, redrawn at most every 100 ms; elsewhere (CI logs, pipes) one plain line at every tenth.
 */
export function createInferenceProgress(options: InferenceProgressOptions): InferenceProgress {
  const width = 28;
  const started = options.now();
  let drawnAt = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let lastTenth = 0;
  return {
    tick({ done, failed }) {
      const now = options.now();
      const share = options.total === 0 ? 1 : done / options.total;
      const rate = done / Math.max((now - started) / 1000, 0.001);
      const eta = duration((options.total - done) / rate);
      const failures = failed > 0 ? `, ${failed} failed` : '';
      const text = `${options.label} ${done}/${options.total} ${Math.round(share * 100)}% ${rate.toFixed(1)}/s ETA ${eta}${failures}`;
      if (options.interactive) {
        if (now - drawnAt < 100 && done !== options.total) return;
        drawnAt = now;
        const filled = Math.round(share * width);
        const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
        options.write(`\r${bar} ${text}\u001b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth === lastTenth && done !== options.total) return;
      lastTenth = tenth;
      options.write(`${text}\n`);
    },
    finish() {
      if (drawn) options.write('\n');
      drawn = false;
    },
  };
}

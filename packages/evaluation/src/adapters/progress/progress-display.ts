import type { ProgressEvent } from '../../application/evaluation-runner.js';

/** Options of {@link createProgressDisplay}. */
export interface ProgressDisplayOptions {
  /** Writes text (the CLI passes stderr, so that `--json` output on stdout stays clean). */
  write: (text: string) => void;
  /** True on a terminal: one bar redrawn in place; false: plain lines at every tenth. */
  interactive: boolean;
  /** Printed before the bar or line, for example `evaluate support-bot/2`. */
  label?: string;
  /**
   * What the judge's work is called: `calls` (the default) for a model judge, `judgements` for the offline heuristic,
   * which calls no model.
   */
  judgeWork?: 'calls' | 'judgements';
  /** Bar width in characters; 28 by default. */
  width?: number;
}

/** Shows a run's progress; `finish` ends the bar's line. */
export interface ProgressDisplay {
  update(event: ProgressEvent): void;
  finish(): void;
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

/**
 * Progress of an evaluation: on a terminal a bar redrawn in place (`\r`) with examples done, share,
 * elapsed time and judge calls; elsewhere (CI logs, pipes) a plain line at every tenth of the run
 * (every example for runs of 20 or fewer) so that logs stay short.
 */
export function createProgressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  const width = options.width ?? 28;
  const label = options.label ? `${options.label} ` : '';
  let drawn = false;
  let lastTenth = -1;
  return {
    update(event) {
      const share = event.total === 0 ? 1 : event.done / event.total;
      const judge = `judge ${event.judge.calls} ${options.judgeWork ?? 'calls'}, ${event.judge.cacheHits} cached`;
      const failed = event.failed > 0 ? `, ${event.failed} failed` : '';
      if (options.interactive) {
        const filled = Math.round(share * width);
        const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
        options.write(
          `\r${label}[${bar}] ${event.done}/${event.total} ${Math.round(share * 100)}% ${seconds(event.elapsedMs)} ${judge}${failed}\u001b[K`,
        );
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (event.total > 20 && tenth === lastTenth && event.done !== event.total) return;
      lastTenth = tenth;
      options.write(
        `${label}${event.done}/${event.total} (${Math.round(share * 100)}%) ${seconds(event.elapsedMs)} ${judge}${failed}\n`,
      );
    },
    finish() {
      if (drawn) options.write('\n');
      drawn = false;
    },
  };
}

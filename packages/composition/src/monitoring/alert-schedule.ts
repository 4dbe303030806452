import { scheduledDriftSchema } from '@llmops/monitoring';
import type { AlertRecord, EventStore, MonitoringConf } from '@llmops/monitoring';
import type { Registry } from '@llmops/registry';
import { checkChampionCorpus } from './corpus-check.js';
import type { MonitoringAlerts } from './monitoring-alerts.js';
import { alertSignalsOf, scheduledDriftWindows, watchTraffic } from './model-watch.js';

/** Options of {@link startAlertSchedule}. */
export interface AlertScheduleOptions {
  /** Time between the end of a round and the start of the next, in ms. */
  intervalMs: number;
  /** The objectives (and the rules, run by `alerts`). */
  conf: MonitoringConf;
  events: EventStore;
  registry: Registry;
  /** The alert engine the rounds feed (kept open between rounds, so cool-downs and running alerts carry over). */
  alerts: MonitoringAlerts;
  /** The workspace, where champions' corpora are read. */
  cwd: string;
  /** Told about a round (or one model's part of it) that failed; the next round tries again. */
  onError?: (error: unknown, model: string | undefined) => void;
  /** Told about the alerts a round fired, once they ended. */
  onRound?: (alerts: AlertRecord[]) => void;
}

/** A running alert schedule. */
export interface AlertSchedule {
  /** Runs one round now (after the one running, if any) and answers its alerts once they ended. */
  runOnce(): Promise<AlertRecord[]>;
  /** Stops the timer and waits for the round running, if any. */
  stop(): Promise<void>;
}

/**
 * Evaluates the alert rules on the API server's own timer, off the request path: each round looks at every model
 * with a champion (the champion version's objectives over the conf's windows, the drift of its last `alerts.drift.current`
 * against the `alerts.drift.reference` before it, 1 h against 24 h by default, and its corpus), turns what it found into signals, runs the engine on them and waits for
 * every alert to end, as a `kind: monitor` job does. Rounds never overlap: the next one is scheduled when the last
 * ends. The timer is `unref`'d (it never keeps a process alive).
 */
export function startAlertSchedule(options: AlertScheduleOptions): AlertSchedule {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<AlertRecord[]> = Promise.resolve([]);

  const report = (error: unknown, model: string | undefined) => {
    try {
      options.onError?.(error, model);
    } catch {
      // Reporting must not stop the schedule.
    }
  };

  const drift = scheduledDriftWindows(options.conf.alerts?.drift ?? scheduledDriftSchema.parse({}));
  const watchModel = async (name: string, champion: number): Promise<AlertRecord[]> => {
    const traffic = await watchTraffic({
      store: options.events,
      conf: options.conf,
      drift,
      model: { modelName: name, modelVersion: champion },
    });
    const corpus = (await checkChampionCorpus({ registry: options.registry, model: name, cwd: options.cwd })) ?? null;
    const fired = await options.alerts.engine.evaluate(alertSignalsOf({ ...traffic, corpus }, name));
    return Promise.all(fired.map((alert) => alert.done));
  };

  const round = async (): Promise<AlertRecord[]> => {
    const recorded: AlertRecord[] = [];
    try {
      for (const model of await options.registry.listModels()) {
        const champion = model.aliases['champion'];
        if (champion === undefined || stopped) continue;
        try {
          recorded.push(...(await watchModel(model.name, champion)));
        } catch (error) {
          report(error, model.name);
        }
      }
    } catch (error) {
      report(error, undefined);
    }
    try {
      options.onRound?.(recorded);
    } catch {
      // Reporting must not stop the schedule.
    }
    return recorded;
  };

  const queueRound = (): Promise<AlertRecord[]> => {
    running = running.then(round, round);
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void queueRound().finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce: queueRound,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}

import type { Metric, Registry } from 'prom-client';

/** The label values of one series, by label name. */
export type SeriesLabels<Label extends string> = Record<Label, string>;

/**
 * The key of a series (its label values joined by NUL: no label value holds one, model names being `[A-Za-z0-9_.-]`
 * and the others llmops' own words) and, the first time, its labels in the order of the label names.
 */
export function seriesKey(values: readonly string[]): string {
  return values.length === 1 ? (values[0] as string) : values.join('\u0000');
}

/** The labels of a new series: each label name with the value at its place. */
export function seriesLabels<Label extends string>(
  labelNames: readonly Label[],
  values: readonly string[],
): SeriesLabels<Label> {
  const labels = {} as SeriesLabels<Label>;
  labelNames.forEach((name, index) => {
    labels[name] = values[index] as string;
  });
  return labels;
}

/** What {@link CountedSeries} and {@link ObservedHistogram} are made of. */
export interface SeriesMetricConfig<Label extends string> {
  name: string;
  help: string;
  /** The label names, in the order a series' label values are given and its labels are written. */
  labelNames: readonly Label[];
  registers: readonly Registry[];
}

/**
 * Registers a metric that is not one of prom-client's classes: the registry only calls `get`, `getForPromString` (when
 * present) and `reset`, and reads `name`.
 */
export function registerSeriesMetric(metric: object, registers: readonly Registry[]): void {
  // prom-client types a metric as the union of its own classes.
  for (const registry of registers) registry.registerMetric(metric as Metric);
}

/**
 * A Prometheus counter kept in plain objects: a series is found by its label values joined, so counting a request
 * hashes, sorts and validates no label object (prom-client's `Counter.inc` does all three on every call; issue 13). A scrape reads what prom-client's `Counter.get` returns: the series in the order they were
 * first counted, each the sum of what was added, in the same order.
 */
export class CountedSeries<Label extends string> {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly Label[];
  private readonly series = new Map<string, { value: number; labels: SeriesLabels<Label> }>();

  constructor(config: SeriesMetricConfig<Label>) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    registerSeriesMetric(this, config.registers);
  }

  /**
   * Adds `value` (1 by default) to the series of these label values (in the order of the label names).
   * @throws TypeError for a negative or infinite value (as prom-client's counter).
   */
  add(labelValues: readonly string[], value = 1): void {
    if (value < 0 || value === Infinity) throw new TypeError(`${this.name}: a counter cannot add ${value}`);
    const key = seriesKey(labelValues);
    const found = this.series.get(key);
    if (found) found.value += value;
    else this.series.set(key, { value, labels: seriesLabels(this.labelNames, labelValues) });
  }

  async get() {
    return {
      help: this.help,
      name: this.name,
      type: this.type,
      values: [...this.series.values()],
      aggregator: this.aggregator,
    };
  }

  reset(): void {
    this.series.clear();
  }
}

import { registerSeriesMetric, seriesKey, seriesLabels } from './counted-series.js';
import type { SeriesLabels, SeriesMetricConfig } from './counted-series.js';

/** One series of an {@link ObservedHistogram}: observations per bucket (not cumulative), their sum and count. */
interface HistogramSeries<Label extends string> {
  labels: SeriesLabels<Label>;
  /** Observations at most `buckets[index]` and above the bucket before; those above every bound are only counted. */
  inBucket: number[];
  sum: number;
  count: number;
}

/** One sample as prom-client's histogram hands it to the registry: the series' labels shared, `le` its own. */
interface HistogramSample {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
  exemplar: null | undefined;
}

/**
 * A Prometheus histogram kept in plain objects, as {@link CountedSeries} keeps a counter: a series is found by its
 * label values joined, so observing a request hashes, sorts and validates no label object. A scrape reads what prom-client's `Histogram`
 * returns (`getForPromString`, and `get` with the labels splayed): per series, in the order first observed, the
 * cumulative buckets, `+Inf`, the sum and the count.
 */
export class ObservedHistogram<Label extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly Label[];
  private readonly buckets: readonly number[];
  private readonly series = new Map<string, HistogramSeries<Label>>();

  constructor(config: SeriesMetricConfig<Label> & { buckets: readonly number[] }) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    this.buckets = config.buckets;
    registerSeriesMetric(this, config.registers);
  }

  /**
   * Observes `value` in the series of these label values (in the order of the label names).
   * @throws TypeError for a value that is not a finite number (as prom-client's histogram).
   */
  observe(labelValues: readonly string[], value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`${this.name}: cannot observe ${value}`);
    const key = seriesKey(labelValues);
    let series = this.series.get(key);
    if (series === undefined) {
      const labels = seriesLabels(this.labelNames, labelValues);
      series = { labels, inBucket: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    series.sum += value;
    series.count += 1;
    for (let index = 0; index < this.buckets.length; index += 1) {
      if (value <= (this.buckets[index] as number)) {
        series.inBucket[index] = (series.inBucket[index] as number) + 1;
        return;
      }
    }
  }

  async getForPromString() {
    const bucketName = `${this.name}_bucket`;
    const values: HistogramSample[] = [];
    for (const { labels, inBucket, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, index) => {
        cumulative += inBucket[index] as number;
        values.push({
          labels: { le: bound },
          sharedLabels: labels,
          value: cumulative,
          metricName: bucketName,
          exemplar: null,
        });
      });
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: labels, value: count, metricName: bucketName, exemplar: null },
        { labels: {}, sharedLabels: labels, value: sum, metricName: `${this.name}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: labels, value: count, metricName: `${this.name}_count`, exemplar: undefined },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  async get() {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ labels, sharedLabels, ...sample }) => ({
        ...sample,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }

  reset(): void {
    this.series.clear();
  }
}

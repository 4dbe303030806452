import { Registry } from 'prom-client';
import type { Metric, MetricObjectWithValues, MetricValue } from 'prom-client';

/** One value as prom-client's metrics hand it to the registry (histograms add shared labels and a series name). */
interface ExportedValue extends MetricValue<string> {
  metricName?: string;
  sharedLabels?: Labels;
}

/** A sample's labels, as prom-client keeps them. */
type Labels = Partial<Record<string, string | number>>;

const needsEscape = /[\\\n"]/;

/** A label value as the text format wants it: backslash, newline and double quote escaped (as prom-client does). */
function labelValueText(value: string | number | undefined): string {
  if (typeof value !== 'string') return String(value);
  return needsEscape.test(value) ? value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : value;
}

/** `name="value"` pairs of a sample's labels, leaving out those `shared` holds (written after them, as prom-client does). */
function labelPairs(labels: Labels | undefined, shared: object | undefined): string {
  let text = '';
  if (labels === undefined) return text;
  for (const name in labels) {
    const value = labels[name];
    if (shared !== undefined && Object.hasOwn(shared, name)) continue;
    text += `${text === '' ? '' : ','}${name}="${labelValueText(value)}"`;
  }
  return text;
}

/** A sample value as prom-client writes it (`Nan`, `+Inf`, `-Inf` included). */
function valueText(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

function helpText(text: string): string {
  return text.includes('\\') || text.includes('\n') ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : text;
}

/** A metric as the registry reads it: histograms also offer their samples with shared labels, unsplayed. */
type ReadableMetric = Metric & { getForPromString?: () => Promise<MetricObjectWithValues<MetricValue<string>>> };

/**
 * A prom-client `Registry` whose Prometheus text (`metrics()`) is built in one pass, byte for byte what prom-client's
 * own registry writes, without the arrays and objects it makes per sample. A server exposing 50 models × a few
 * versions has about 7,000 samples (two histograms of 15 lines per version): prom-client's serializer spends about
 * 1.4 µs of CPU on each, this one a fraction (tools/bench/monitoring/metrics-scrape.ts, wiki/Benchmarks.md).
 * The OpenMetrics format and default labels, which llmops does not use, are left to prom-client.
 */
export class PrometheusTextRegistry extends Registry {
  /** A histogram's shared labels (model and version) as text, per label object: the series keeps it for its life. */
  private readonly labelText = new WeakMap<object, string>();
  private hasDefaultLabels = false;

  override setDefaultLabels(labels: object): void {
    super.setDefaultLabels(labels);
    this.hasDefaultLabels = Object.keys(labels).length > 0;
  }

  override async metrics(): Promise<string> {
    if (this.contentType !== Registry.PROMETHEUS_CONTENT_TYPE || this.hasDefaultLabels) return super.metrics();
    // prom-client types the registered metrics as plain objects; they are the metric instances.
    const metrics = this.getMetricsAsArray() as unknown as ReadableMetric[];
    const texts = await Promise.all(metrics.map((metric) => this.metricText(metric)));
    return `${texts.join('\n\n')}\n`;
  }

  private async metricText(metric: ReadableMetric): Promise<string> {
    const data = metric.getForPromString ? await metric.getForPromString() : await metric.get();
    const name = helpText(data.name);
    let text = `# HELP ${name} ${helpText(data.help)}\n# TYPE ${name} ${data.type}`;
    for (const value of (data.values ?? []) as ExportedValue[]) {
      const shared = value.sharedLabels;
      let labels = labelPairs(value.labels, shared);
      if (shared !== undefined) {
        const sharedText = this.cachedPairs(shared);
        if (sharedText !== '') labels = labels === '' ? sharedText : `${labels},${sharedText}`;
      }
      text += `\n${value.metricName ?? name}${labels === '' ? '' : `{${labels}}`} ${valueText(value.value)}`;
    }
    return text;
  }

  private cachedPairs(labels: Labels | undefined): string {
    if (labels === undefined) return '';
    let text = this.labelText.get(labels);
    if (text === undefined) {
      text = labelPairs(labels, undefined);
      this.labelText.set(labels, text);
    }
    return text;
  }
}

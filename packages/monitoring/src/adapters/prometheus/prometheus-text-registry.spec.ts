import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { PrometheusTextRegistry } from './prometheus-text-registry.js';

/** Registers the same metrics in a registry and feeds them the same samples, awkward label values included. */
function feed(registry: Registry): void {
  const registers = [registry];
  const counter = new Counter({
    name: 'test_requests_total',
    help: 'Requests with a back\\slash and a\nnewline in the help',
    labelNames: ['model', 'status'],
    registers,
  });
  counter.inc({ model: 'plain', status: '200' }, 3);
  counter.inc({ model: 'with "quotes"', status: '500' });
  counter.inc({ model: 'back\\slash\nnewline', status: '200' }, 0.25);
  new Counter({ name: 'test_never_total', help: 'A counter without labels, never incremented', registers });
  const histogram = new Histogram({
    name: 'test_duration_seconds',
    help: 'Latency',
    labelNames: ['model', 'version'],
    buckets: [0.005, 0.5, 10],
    registers,
  });
  histogram.observe({ model: 'a', version: '1' }, 0.2);
  histogram.observe({ model: 'a', version: '1' }, 42);
  histogram.observe({ model: 'b"', version: '' }, 0.001);
  const gauge = new Gauge({ name: 'test_depth', help: 'A gauge', registers });
  gauge.set(Number.POSITIVE_INFINITY);
  const labelled = new Gauge({ name: 'test_ratio', help: 'A labelled gauge', labelNames: ['model'], registers });
  labelled.set({ model: 'a' }, Number.NaN);
  labelled.set({ model: 'b' }, -Number.MAX_VALUE * 2);
  const summary = new Summary({
    name: 'test_summary',
    help: 'A summary',
    labelNames: ['model'],
    percentiles: [0.5, 0.9],
    registers,
  });
  summary.observe({ model: 'a' }, 1);
  summary.observe({ model: 'a' }, 3);
}

describe('PrometheusTextRegistry', () => {
  it('writes the same Prometheus text as prom-client’s own registry, byte for byte', async () => {
    const stock = new Registry();
    const fast = new PrometheusTextRegistry();
    feed(stock);
    feed(fast);
    // prom-client's per-metric serializer (not in its types): the fast registry must not go through it.
    const stockSerializer = jest.spyOn(
      Registry.prototype as unknown as { getMetricsAsString: () => unknown },
      'getMetricsAsString',
    );

    const text = await fast.metrics();

    expect(stockSerializer).not.toHaveBeenCalled();
    stockSerializer.mockRestore();
    expect(text).toBe(await stock.metrics());
    expect(text).toContain('test_requests_total{model="with \\"quotes\\"",status="500"} 1');
    expect(text).toContain('test_requests_total{model="back\\\\slash\\nnewline",status="200"} 0.25');
    expect(text).toContain('test_duration_seconds_bucket{le="+Inf",model="a",version="1"} 2');
    expect(text).toContain('test_depth +Inf');
    expect(text).toContain('test_ratio{model="a"} Nan');
  });

  it('keeps writing what prom-client writes as the series change between scrapes', async () => {
    const stock = new Registry();
    const fast = new PrometheusTextRegistry();
    const histograms = [stock, fast].map(
      (registry) =>
        new Histogram({ name: 'test_seconds', help: 'h', labelNames: ['model'], buckets: [1], registers: [registry] }),
    );
    histograms.forEach((histogram) => histogram.observe({ model: 'a' }, 0.5));
    await fast.metrics();
    histograms.forEach((histogram) => {
      histogram.observe({ model: 'a' }, 2);
      histogram.observe({ model: 'c' }, 0.1);
    });

    const text = await fast.metrics();

    expect(text).toBe(await stock.metrics());
    expect(text).toContain('test_seconds_count{model="a"} 2');
  });

  it('writes the process metrics as prom-client does', async () => {
    const fast = new PrometheusTextRegistry();
    collectDefaultMetrics({ register: fast });

    const text = await fast.metrics();

    // The values move between two scrapes; the series names and labels do not.
    const shape = (metrics: string) => metrics.split('\n').map((line) => line.replace(/ [^ ]+$/, ''));
    expect(shape(text)).toEqual(shape(await Registry.prototype.metrics.call(fast)));
    expect(text).toContain('nodejs_heap_size_total_bytes ');
  });

  it('leaves default labels and OpenMetrics to prom-client', async () => {
    const stock = new Registry();
    const fast = new PrometheusTextRegistry();
    for (const registry of [stock, fast]) {
      // prom-client's types bind a registry to the format it was declared with; switch it at run time.
      registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as typeof Registry.PROMETHEUS_CONTENT_TYPE);
      registry.setDefaultLabels({ region: 'eu' });
      new Counter({ name: 'test_total', help: 'c', labelNames: ['model'], registers: [registry] }).inc({ model: 'a' });
    }

    const text = await fast.metrics();

    expect(text).toBe(await stock.metrics());
    expect(text).toContain('region="eu"');
    expect(text).toContain('# EOF');
  });
});

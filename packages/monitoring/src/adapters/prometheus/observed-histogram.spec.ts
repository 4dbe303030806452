import { Histogram, Registry } from 'prom-client';
import { ObservedHistogram } from './observed-histogram.js';
import { PrometheusTextRegistry } from './prometheus-text-registry.js';

const labelNames = ['model', 'version'] as const;
const buckets = [0.005, 0.5, 10];
/** Observations on, between and past the bounds, in two series (one with awkward label values). */
const observations: Array<[[string, string], number]> = [
  [['a', '1'], 0.2],
  [['a', '1'], 42],
  [['b"', ''], 0.001],
  [['a', '1'], 0.5],
  [['a', '1'], 0.1],
  [['b"', ''], 10],
  [['a', '1'], 0.2],
];

describe('ObservedHistogram', () => {
  it.each([
    ['PrometheusTextRegistry', () => new PrometheusTextRegistry()],
    ['prom-client Registry', () => new Registry()],
  ])('reads in %s as a prom-client Histogram fed the same observations, text and JSON', async (_name, registryOf) => {
    const stock = registryOf();
    const histogram = new Histogram({ name: 'test_seconds', help: 'Latency', labelNames, buckets, registers: [stock] });
    const plain = registryOf();
    const observed = new ObservedHistogram({
      name: 'test_seconds',
      help: 'Latency',
      labelNames,
      buckets,
      registers: [plain],
    });
    for (const [[model, version], value] of observations) {
      histogram.observe({ model, version }, value);
      observed.observe([model, version], value);
    }

    expect(await plain.metrics()).toBe(await stock.metrics());
    expect(await plain.getMetricsAsJSON()).toEqual(await stock.getMetricsAsJSON());
    expect(await plain.metrics()).toContain('test_seconds_bucket{le="0.5",model="a",version="1"} 4');
  });

  it('forgets its series when the registry resets, and refuses a value that is not a finite number', async () => {
    const registry = new PrometheusTextRegistry();
    const observed = new ObservedHistogram({
      name: 'test_seconds',
      help: 'Test',
      labelNames: ['model'],
      buckets: [1],
      registers: [registry],
    });
    observed.observe(['a'], 0.5);
    registry.resetMetrics();
    observed.observe(['b'], 2);

    expect(await registry.metrics()).toBe(
      [
        '# HELP test_seconds Test',
        '# TYPE test_seconds histogram',
        'test_seconds_bucket{le="1",model="b"} 0',
        'test_seconds_bucket{le="+Inf",model="b"} 1',
        'test_seconds_sum{model="b"} 2',
        'test_seconds_count{model="b"} 1',
        '',
      ].join('\n'),
    );
    expect(() => observed.observe(['b'], Number.NaN)).toThrow(TypeError);
  });
});

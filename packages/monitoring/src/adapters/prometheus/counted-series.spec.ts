import { Counter, Registry } from 'prom-client';
import { CountedSeries } from './counted-series.js';
import { PrometheusTextRegistry } from './prometheus-text-registry.js';

const labelNames = ['model', 'status'] as const;
/** Label values and amounts, awkward ones included: quotes, a backslash and newline, zero, fractions. */
const additions: Array<[[string, string], number | undefined]> = [
  [['plain', '200'], undefined],
  [['with "quotes"', '500'], 3],
  [['plain', '200'], 0.1],
  [['back\\slash\nnewline', '200'], 0],
  [['plain', '200'], 0.2],
  [['plain', '404'], undefined],
];

describe('CountedSeries', () => {
  it.each([
    ['PrometheusTextRegistry', () => new PrometheusTextRegistry()],
    ['prom-client Registry', () => new Registry()],
  ])('reads in %s as a prom-client Counter fed the same additions, text and JSON', async (_name, registryOf) => {
    const stock = registryOf();
    const counter = new Counter({ name: 'test_requests_total', help: 'Requests', labelNames, registers: [stock] });
    const plain = registryOf();
    const counted = new CountedSeries({
      name: 'test_requests_total',
      help: 'Requests',
      labelNames,
      registers: [plain],
    });
    for (const [[model, status], amount] of additions) {
      counter.inc({ model, status }, amount);
      counted.add([model, status], amount);
    }

    expect(await plain.metrics()).toBe(await stock.metrics());
    expect(await plain.getMetricsAsJSON()).toEqual(await stock.getMetricsAsJSON());
    expect(await plain.metrics()).toContain('test_requests_total{model="plain",status="200"} 1.3');
  });

  it('forgets its series when the registry resets, and refuses what a counter cannot add', async () => {
    const registry = new PrometheusTextRegistry();
    const counted = new CountedSeries({
      name: 'test_total',
      help: 'Test',
      labelNames: ['model'],
      registers: [registry],
    });
    counted.add(['a']);
    registry.resetMetrics();
    counted.add(['b'], 2);

    expect(await registry.metrics()).toBe(
      '# HELP test_total Test\n# TYPE test_total counter\ntest_total{model="b"} 2\n',
    );
    expect(() => counted.add(['b'], -1)).toThrow(TypeError);
    expect(() => counted.add(['b'], Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});

import { useMemo } from 'preact/hooks';
import type { Options } from 'uplot';
import type { MetricComparison } from '../api/api-types.js';
import { UplotChart } from './uplot-chart.js';

/** One run's delta from the baseline on each metric, as points with their confidence interval as error bars. */
export function DeltaChart({ metrics, runId, label }: { metrics: MetricComparison[]; runId: string; label: string }) {
  const rows = useMemo(
    () =>
      metrics.map((metric) => {
        const delta = metric.deltas.find((entry) => entry.run_id === runId);
        return {
          name: metric.name,
          delta: delta?.delta ?? null,
          low: delta?.ci_low ?? null,
          high: delta?.ci_high ?? null,
        };
      }),
    [metrics, runId],
  );
  const data = useMemo(
    () =>
      [
        rows.map((_, index) => index),
        rows.map((row) => row.delta),
        rows.map((row) => row.low),
        rows.map((row) => row.high),
      ] as [number[], (number | null)[], (number | null)[], (number | null)[]],
    [rows],
  );
  const options = useMemo<Omit<Options, 'width'>>(
    () => ({
      height: 340,
      legend: { show: false },
      scales: { x: { time: false, range: [-0.5, rows.length - 0.5] } },
      axes: [
        { values: (_, ticks) => ticks.map((tick) => rows[tick]?.name ?? ''), incrs: [1], rotate: -50, size: 130 },
        { label: 'delta vs baseline', size: 60 },
      ],
      series: [
        {},
        { label: 'delta', stroke: '#1a4f8a', width: 0, points: { show: true, size: 9, fill: '#1a4f8a' } },
        { label: 'CI low', show: false },
        { label: 'CI high', show: false },
      ],
      hooks: {
        draw: [
          (chart) => {
            const context = chart.ctx;
            context.save();
            context.strokeStyle = '#1a4f8a';
            context.lineWidth = 2 * devicePixelRatio;
            rows.forEach((row, index) => {
              if (row.low === null || row.high === null) return;
              const x = chart.valToPos(index, 'x', true);
              const low = chart.valToPos(row.low, 'y', true);
              const high = chart.valToPos(row.high, 'y', true);
              const cap = 6 * devicePixelRatio;
              context.beginPath();
              context.moveTo(x, low);
              context.lineTo(x, high);
              context.moveTo(x - cap, low);
              context.lineTo(x + cap, low);
              context.moveTo(x - cap, high);
              context.lineTo(x + cap, high);
              context.stroke();
            });
            const zero = chart.valToPos(0, 'y', true);
            context.strokeStyle = '#666';
            context.setLineDash([4, 4]);
            context.beginPath();
            context.moveTo(chart.bbox.left, zero);
            context.lineTo(chart.bbox.left + chart.bbox.width, zero);
            context.stroke();
            context.restore();
          },
        ],
      },
    }),
    [rows],
  );
  return <UplotChart label={label} options={options} data={data} />;
}

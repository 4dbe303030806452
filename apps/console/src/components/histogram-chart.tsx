import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import type { Options } from 'uplot';
import { UplotChart } from './uplot-chart.js';

/** A metric's distribution over a run's examples: bars of counts per bin. */
export function HistogramChart({ metric, edges, counts }: { metric: string; edges: number[]; counts: number[] }) {
  const data = useMemo(() => {
    const centers = counts.map((_, index) => (((edges[index] ?? 0) + (edges[index + 1] ?? 0)) as number) / 2);
    return [centers, counts] as [number[], number[]];
  }, [edges, counts]);
  const options = useMemo<Omit<Options, 'width'>>(
    () => ({
      height: 160,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false } },
      axes: [{ label: metric }, { label: 'examples', size: 50 }],
      series: [
        {},
        { label: 'examples', fill: '#2b6cb0', stroke: '#1a4f8a', paths: uPlot.paths.bars?.({ size: [0.9] }) },
      ],
    }),
    [metric],
  );
  const total = counts.reduce((sum, count) => sum + count, 0);
  return (
    <figure class="histogram">
      <UplotChart
        label={`distribution of ${metric} over ${total} examples: ${counts.join(', ')} per bin from ${edges[0] ?? 0} to ${edges.at(-1) ?? 1}`}
        options={options}
        data={data}
      />
      <figcaption>{metric}</figcaption>
    </figure>
  );
}

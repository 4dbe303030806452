import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { AlignedData, Options } from 'uplot';

/** Props of {@link UplotChart}. */
export interface UplotChartProps {
  /** What the chart shows, for screen readers (the chart itself is a canvas). */
  label: string;
  options: Omit<Options, 'width'>;
  data: AlignedData;
}

/** A uPlot chart that fills its container's width and follows it when the window is resized. */
export function UplotChart({ label, options, data }: UplotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const width = () => Math.max(240, element.clientWidth);
    const chart = new uPlot({ ...options, width: width() }, data, element);
    const resize = () => chart.setSize({ width: width(), height: options.height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.destroy();
    };
  }, [options, data]);
  return <div class="chart" ref={container} role="img" aria-label={label} />;
}

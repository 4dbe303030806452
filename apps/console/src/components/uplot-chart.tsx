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

/**
 * A uPlot chart that fills its container's width and follows it when the window is resized. It is drawn once it
 * scrolls into view: a run page has a histogram per metric (twenty and more), and drawing them all before the
 * examples table shows would delay the page's first render.
 */
export function UplotChart({ label, options, data }: UplotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    let chart: uPlot | undefined;
    const width = () => Math.max(240, element.clientWidth);
    const resize = () => chart?.setSize({ width: width(), height: options.height });
    const draw = () => {
      if (chart) return;
      chart = new uPlot({ ...options, width: width() }, data, element);
      window.addEventListener('resize', resize);
    };
    const observer =
      typeof IntersectionObserver === 'undefined'
        ? undefined
        : new IntersectionObserver((entries) => {
            if (entries.some((entry) => entry.isIntersecting)) {
              observer?.disconnect();
              draw();
            }
          });
    if (observer) observer.observe(element);
    else draw();
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', resize);
      chart?.destroy();
    };
  }, [options, data]);
  return (
    <div class="chart" ref={container} role="img" aria-label={label} style={{ minHeight: `${options.height}px` }} />
  );
}

import { escapeMarkup, formatValue } from './markup.js';

/** Options of {@link svgHistogram}. */
export interface HistogramOptions {
  title: string;
  /** The value range shown; the values' own range by default. */
  domain?: [number, number];
  /** Number of bars; 10 by default. */
  bins?: number;
  /** Label under the x axis, for example `score` or `ms`. */
  unit?: string;
  width?: number;
  height?: number;
}

/** The counts of values in `bins` equal-width bins over `[low, high]` (values outside are clamped in). */
export function histogramCounts(
  values: readonly number[],
  options: { low: number; high: number; bins: number },
): number[] {
  const counts = new Array<number>(options.bins).fill(0);
  const span = options.high - options.low;
  for (const value of values) {
    const position = span <= 0 ? 0 : Math.floor(((value - options.low) / span) * options.bins);
    const index = Math.min(options.bins - 1, Math.max(0, position));
    counts[index] = (counts[index] as number) + 1;
  }
  return counts;
}

/**
 * A histogram drawn as inline SVG (no chart library, no script): one bar per bin with its count on
 * hover (`<title>`), the axis range and the largest count labelled.
 */
export function svgHistogram(values: readonly number[], options: HistogramOptions): string {
  const width = options.width ?? 320;
  const height = options.height ?? 160;
  const bins = options.bins ?? 10;
  const low = options.domain?.[0] ?? (values.length > 0 ? Math.min(...values) : 0);
  const rawHigh = options.domain?.[1] ?? (values.length > 0 ? Math.max(...values) : 1);
  const high = rawHigh > low ? rawHigh : low + 1;
  const counts = histogramCounts(values, { low, high, bins });
  const largest = Math.max(1, ...counts);
  const left = 28;
  const bottom = 34;
  const top = 22;
  const plotWidth = width - left - 8;
  const plotHeight = height - top - bottom;
  const barWidth = plotWidth / bins;
  const bars = counts
    .map((count, index) => {
      const barHeight = (count / largest) * plotHeight;
      const x = left + index * barWidth;
      const y = top + plotHeight - barHeight;
      const from = low + ((high - low) * index) / bins;
      const to = low + ((high - low) * (index + 1)) / bins;
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, barWidth - 2).toFixed(1)}" height="${barHeight.toFixed(1)}" class="bar"><title>${escapeMarkup(`${formatValue(from, 3)} to ${formatValue(to, 3)}: ${count}`)}</title></rect>`;
    })
    .join('');
  const axisY = top + plotHeight;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeMarkup(options.title)}">`,
    `<text x="${left}" y="14" class="title">${escapeMarkup(options.title)} (n=${values.length})</text>`,
    `<line x1="${left}" y1="${axisY}" x2="${width - 8}" y2="${axisY}" class="axis"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${axisY}" class="axis"/>`,
    `<text x="${left - 4}" y="${top + 4}" class="tick" text-anchor="end">${largest}</text>`,
    `<text x="${left - 4}" y="${axisY}" class="tick" text-anchor="end">0</text>`,
    bars,
    `<text x="${left}" y="${axisY + 14}" class="tick">${escapeMarkup(formatValue(low, 3))}</text>`,
    `<text x="${width - 8}" y="${axisY + 14}" class="tick" text-anchor="end">${escapeMarkup(formatValue(high, 3))}</text>`,
    `<text x="${left + plotWidth / 2}" y="${axisY + 28}" class="tick" text-anchor="middle">${escapeMarkup(options.unit ?? '')}</text>`,
    '</svg>',
  ].join('');
}

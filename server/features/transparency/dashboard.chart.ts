// The geometry of the public bar charts, computed here so the template only draws. Pure.
//
// A bar is drawn from the SHOWN count (rounded, or nothing when suppressed), never from the raw
// count: a bar's length in pixels must not tell more than the number in the table beside it.

/** One bar's input: its labels and the shown count (null when suppressed). */
export interface ChartItem {
  label: string;
  /** A shorter label for the axis of a vertical chart (e.g. "Mar 2026"). */
  shortLabel?: string;
  value: number | null;
  /** The count as the page writes it ("25", "fewer than 5"). */
  text: string;
}

export interface ChartBar {
  label: string;
  text: string;
  suppressed: boolean;
  value: number | null;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Where the bar's label goes (horizontal charts: above the bar; vertical: under the axis). */
  labelX: number;
  labelY: number;
  /** How the label sits on labelX (a vertical chart's first and last labels stay inside the chart). */
  labelAnchor: 'start' | 'middle' | 'end';
  showLabel: boolean;
  /** Where the count is written (horizontal charts only). */
  textX: number;
  textY: number;
}

export interface ChartTick {
  value: number;
  text: string;
  y: number;
}

export interface BarChart {
  orientation: 'vertical' | 'horizontal';
  width: number;
  height: number;
  bars: ChartBar[];
  /** Gridlines of a vertical chart, from 0 up. */
  ticks: ChartTick[];
  plot: { left: number; right: number; top: number; bottom: number };
}

/**
 * The viewBox widths. The SVG is drawn at 100% of its container (capped in app.css), so these set
 * proportions: about the width of a phone, so the text stays readable there.
 */
export const CHART_WIDTH = { vertical: 400, horizontal: 360 } as const;
const SUPPRESSED_MARK = 8;
const round = (n: number) => Math.round(n * 100) / 100;

/** A round top for the value axis and its step: 0, step, 2·step … top, with at most 5 steps. */
export function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 5, step: 5 };
  const steps = [1, 2, 2.5, 5];
  for (let power = 1; ; power *= 10) {
    for (const s of steps) {
      const step = s * power;
      if (step < 5) continue;
      if (Number.isInteger(step) && max / step <= 5) return { step, top: Math.ceil(max / step) * step };
    }
  }
}

/** Vertical bars (months along the bottom), gridlines with their values on the left. */
export function verticalBars(items: readonly ChartItem[], formatNumber: (n: number) => string): BarChart {
  const width = CHART_WIDTH.vertical;
  const height = 260;
  const plot = { left: 44, right: width - 8, top: 12, bottom: height - 36 };
  const plotWidth = plot.right - plot.left;
  const plotHeight = plot.bottom - plot.top;
  const { top, step } = niceScale(Math.max(0, ...items.map((i) => i.value ?? 0)));
  const slot = plotWidth / Math.max(1, items.length);
  const barWidth = Math.max(1, slot * 0.7);
  // At most five labels fit under the axis; the table names every month.
  const every = Math.max(1, Math.ceil(items.length / 5));
  const bars = items.map((item, k): ChartBar => {
    const suppressed = item.value === null;
    const barHeight = suppressed ? SUPPRESSED_MARK : ((item.value ?? 0) / top) * plotHeight;
    const center = plot.left + slot * k + slot / 2;
    const anchor = center < plot.left + 32 ? 'start' : center > width - 32 ? 'end' : 'middle';
    return {
      label: item.shortLabel ?? item.label,
      text: item.text,
      suppressed,
      value: item.value,
      x: round(center - barWidth / 2),
      y: round(plot.bottom - barHeight),
      width: round(barWidth),
      height: round(barHeight),
      labelX: round(anchor === 'start' ? center - barWidth / 2 : anchor === 'end' ? center + barWidth / 2 : center),
      labelY: plot.bottom + 20,
      labelAnchor: anchor,
      showLabel: k % every === 0,
      textX: 0,
      textY: 0,
    };
  });
  const ticks: ChartTick[] = [];
  for (let value = 0; value <= top; value += step) {
    ticks.push({ value, text: formatNumber(value), y: round(plot.bottom - (value / top) * plotHeight) });
  }
  return { orientation: 'vertical', width, height, bars, ticks, plot };
}

/** Horizontal bars, one row each: the label above its bar, the count after the bar's end. */
export function horizontalBars(items: readonly ChartItem[]): BarChart {
  const width = CHART_WIDTH.horizontal;
  const row = 44;
  const plot = { left: 0, right: width - 100, top: 4, bottom: 4 + row * items.length };
  const { top } = niceScale(Math.max(0, ...items.map((i) => i.value ?? 0)));
  const bars = items.map((item, k): ChartBar => {
    const suppressed = item.value === null;
    const y = plot.top + row * k;
    const barWidth = suppressed ? SUPPRESSED_MARK * 2 : ((item.value ?? 0) / top) * (plot.right - plot.left);
    return {
      label: item.label,
      text: item.text,
      suppressed,
      value: item.value,
      x: plot.left,
      y: y + 20,
      width: round(barWidth),
      height: 16,
      labelX: plot.left,
      labelY: y + 14,
      labelAnchor: 'start',
      showLabel: true,
      textX: round(plot.left + barWidth + 6),
      textY: y + 33,
    };
  });
  return { orientation: 'horizontal', width, height: Math.max(plot.bottom + 4, 24), bars, ticks: [], plot };
}

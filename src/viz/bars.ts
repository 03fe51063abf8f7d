/**
 * Geometry of the influence bars: one horizontal bar per teacher key, the threshold τ as a
 * vertical line. Influence (mean of a key's top-k attention values) lies in [1/S, 1].
 */
import { scaleLinear } from 'd3-scale';

export interface Bar {
  n: number;
  y: number;
  height: number;
  width: number;
  value: number;
  kept: boolean;
  /** x of the spread whisker's ends (value ± spread), equal to the bar's end without a spread. */
  lowX: number;
  highX: number;
}

export interface BarLayout {
  width: number;
  height: number;
  left: number;
  bars: Bar[];
  /** x of the threshold line. */
  tauX: number;
  /** Left edge of the value labels' column (right of the axis end, so no label meets the τ line). */
  valueX: number;
  ticks: { value: number; x: number }[];
  domainMax: number;
}

export interface BarOptions {
  width?: number;
  barHeight?: number;
  gap?: number;
  labelWidth?: number;
  /** Room for the value and kept/dropped label right of each bar. */
  valueWidth?: number;
  /** Smallest right end of the axis (e.g. 1/k, the top of the threshold slider). */
  minDomainMax?: number;
  /** Spread of each influence (whiskers); none when empty. */
  spread?: ArrayLike<number>;
}

export function barLayout(influence: ArrayLike<number>, tau: number, kept: ArrayLike<number>, opts: BarOptions = {}): BarLayout {
  const width = opts.width ?? 420;
  const barHeight = opts.barHeight ?? 22;
  const gap = opts.gap ?? 8;
  const left = opts.labelWidth ?? 120;
  const valueWidth = opts.valueWidth ?? 124;
  const axis = 22;
  let max = Math.max(tau, opts.minDomainMax ?? 0);
  for (let i = 0; i < influence.length; i++) max = Math.max(max, influence[i] + (opts.spread?.[i] ?? 0));
  const x = scaleLinear().domain([0, max > 0 ? max : 1]).range([left, width - valueWidth]).nice(5);
  const domainMax = x.domain()[1];
  const bars: Bar[] = Array.from(influence, (value, n) => ({
    n, value, kept: kept[n] === 1,
    lowX: x(Math.max(0, value - (opts.spread?.[n] ?? 0))), highX: x(value + (opts.spread?.[n] ?? 0)),
    y: axis + n * (barHeight + gap), height: barHeight, width: Math.max(0, x(value) - left),
  }));
  return {
    width,
    height: axis + influence.length * (barHeight + gap),
    left,
    bars,
    tauX: x(tau),
    valueX: width - valueWidth + 10,
    ticks: x.ticks(5).map((value) => ({ value, x: x(value) })),
    domainMax,
  };
}

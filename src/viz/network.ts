/**
 * Geometry of the network view: the teacher's taps (keys) as a row of blocks on top, the
 * student's taps as a row below, one link per (key, student tap) whose width is the batch-mean
 * attention α, and each key's influence as a bar above it with the threshold τ as a line across
 * all bars. Blocks are sized by their feature maps: width by channels C, height by the spatial
 * size √(H·W); a thin bar under each label gives its cost (FLOPs per image).
 *
 * 'attention' is the importance matrix of the rule shown: α (each key's attention over the
 * student taps) for 'afd', each student tap's attention shared among the keys for 'keys'.
 *
 * Labels never cross the τ line: influence values sit under the bars' baseline, and the τ label
 * sits in its own margin right of the bars.
 */
import { scaleBand, scaleLinear, scaleSqrt } from 'd3-scale';
import { linkVertical } from 'd3-shape';

export interface NetTap { name: string; shape?: [number, number, number]; flops?: number }

export interface NetworkInput {
  teacher: NetTap[];
  student: NetTap[];
  /** Importance [T,S] row-major (row n = key n): α for 'afd', the keys' shares for 'keys'. */
  attention: ArrayLike<number>;
  influence: ArrayLike<number>;
  tau: number;
  kept: ArrayLike<number>;
  /** Right end of the influence axis at least this (1/k, the slider's top), so bars hold still. */
  minDomainMax?: number;
  /** Foot of the influence axis: 1/S (attention spread evenly), the least influence a key can have. Default 0. */
  floor?: number;
  /** Kept, dropped or undecided per key (default: from `kept`). */
  decisions?: ArrayLike<'kept' | 'dropped' | 'undecided'>;
  /** Decimals of the influence labels (default 3). */
  digits?: number;
  width?: number;
}

export interface NetBlock {
  n: number;
  name: string;
  /** Centre x, block box (x, y, w, h). */
  cx: number;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Baseline of the name label; the shape and cost lines follow 14 px apart (teacher: above its box, student: below). */
  labelY: number;
  shapeText: string;
  costText: string;
  costW: number;
}

export interface NetKey extends NetBlock {
  kept: boolean;
  decision: 'kept' | 'dropped' | 'undecided';
  influence: number;
  /** Influence bar: top y and height (its baseline is `barBase`). */
  barY: number;
  barH: number;
  barW: number;
}

export interface NetLink { n: number; m: number; alpha: number; width: number; kept: boolean; d: string }

export interface NetworkLayout {
  width: number;
  height: number;
  left: number;
  right: number;
  barTop: number;
  barBase: number;
  tauY: number;
  domainMax: number;
  floor: number;
  teacherMid: number;
  studentMid: number;
  keys: NetKey[];
  taps: NetBlock[];
  links: NetLink[];
}

export const LINK_MAX_WIDTH = 16;
const BAR_H = 80;
const BOX_MAX_H = 60;
const ROW_LABELS = 46;
const LINK_GAP = 120;

function shapeText(shape?: [number, number, number]): string {
  return shape ? `${shape[0]}×${shape[1]}×${shape[2]}` : 'shape not recorded';
}

/** FLOPs in words: 812 k, 1.21 M. */
export function flopsText(f?: number): string {
  if (f === undefined) return '';
  if (f >= 1e6) return `${(f / 1e6).toFixed(f >= 1e7 ? 1 : 2)} M FLOPs`;
  if (f >= 1e3) return `${Math.round(f / 1e3)} k FLOPs`;
  return `${Math.round(f)} FLOPs`;
}

export function networkLayout(input: NetworkInput): NetworkLayout {
  const { teacher, student, attention, influence, tau, kept } = input;
  const T = teacher.length;
  const S = student.length;
  if (attention.length !== T * S) throw new Error(`attention has ${attention.length} values, expected T×S = ${T}×${S}`);
  if (influence.length !== T || kept.length !== T) throw new Error(`influence and kept need ${T} values (one per teacher key)`);
  const width = input.width ?? 880;
  const left = 84;
  const right = 92;
  const all = [...teacher, ...student];
  const maxC = Math.max(1, ...all.map((t) => t.shape?.[2] ?? 1));
  const maxHW = Math.max(1, ...all.map((t) => (t.shape ? t.shape[0] * t.shape[1] : 1)));
  const maxFlops = Math.max(1, ...all.map((t) => t.flops ?? 0));
  const tx = scaleBand<number>().domain(Array.from({ length: T }, (_, i) => i)).range([left, width - right]).paddingInner(0.2);
  const sx = scaleBand<number>().domain(Array.from({ length: S }, (_, i) => i)).range([left, width - right]).paddingInner(0.35);
  const band = Math.min(tx.bandwidth(), sx.bandwidth());
  const boxW = scaleSqrt().domain([0, maxC]).range([0, Math.min(band * 0.9, 110)]);
  const boxH = scaleSqrt().domain([0, maxHW]).range([0, BOX_MAX_H]);
  const costW = scaleLinear().domain([0, maxFlops]).range([0, Math.min(band * 0.9, 90)]);

  let domainMax = Math.max(tau, input.minDomainMax ?? 0);
  for (let i = 0; i < T; i++) domainMax = Math.max(domainMax, influence[i]);
  if (!(domainMax > 0)) domainMax = 1;
  const floor = Math.max(0, Math.min(input.floor ?? 0, domainMax * 0.95));
  const barTop = 12;
  const barBase = barTop + BAR_H;
  const y = scaleLinear().domain([floor, domainMax]).range([barBase, barTop]).clamp(true);
  // Under the bars: the value line, then the key's name, shape and cost, then its block.
  const teacherLabelY = barBase + 32;
  const teacherMid = teacherLabelY + ROW_LABELS + BOX_MAX_H / 2;
  const studentMid = teacherMid + BOX_MAX_H + LINK_GAP;

  const block = (t: NetTap, n: number, cx: number, mid: number, labelY: number): NetBlock => {
    const w = Math.max(12, t.shape ? boxW(t.shape[2]) : band * 0.4);
    const h = Math.max(10, t.shape ? boxH(t.shape[0] * t.shape[1]) : BOX_MAX_H * 0.5);
    return {
      n, name: t.name, cx, x: cx - w / 2, y: mid - h / 2, w, h, labelY,
      shapeText: shapeText(t.shape), costText: flopsText(t.flops), costW: t.flops ? Math.max(2, costW(t.flops)) : 0,
    };
  };
  const keys: NetKey[] = teacher.map((t, n) => {
    const b = block(t, n, tx(n)! + tx.bandwidth() / 2, teacherMid, teacherLabelY);
    const v = influence[n];
    const decision = input.decisions?.[n] ?? (kept[n] === 1 ? 'kept' : 'dropped');
    return { ...b, kept: kept[n] === 1, decision, influence: v, barY: y(v), barH: barBase - y(v), barW: Math.min(26, Math.max(8, tx.bandwidth() * 0.3)) };
  });
  const taps = student.map((t, m) => block(t, m, sx(m)! + sx.bandwidth() / 2, studentMid, studentMid + BOX_MAX_H / 2 + 16));
  const path = linkVertical<{ source: [number, number]; target: [number, number] }, [number, number]>()
    .source((d) => d.source).target((d) => d.target);
  const links: NetLink[] = [];
  for (let n = 0; n < T; n++) {
    const k = keys[n];
    for (let m = 0; m < S; m++) {
      const s = taps[m];
      const alpha = attention[n * S + m];
      // Fan the ends out along each block's edge so parallel links stay apart.
      const sx0 = k.cx + (S > 1 ? (m / (S - 1) - 0.5) * k.w * 0.7 : 0);
      const tx0 = s.cx + (T > 1 ? (n / (T - 1) - 0.5) * s.w * 0.8 : 0);
      const d = path({ source: [sx0, k.y + k.h], target: [tx0, s.y] }) ?? '';
      links.push({ n, m, alpha, width: 0.5 + Math.max(0, Math.min(1, alpha)) * (LINK_MAX_WIDTH - 0.5), kept: k.kept, d });
    }
  }
  return {
    width, height: studentMid + BOX_MAX_H / 2 + 16 + ROW_LABELS, left, right, barTop, barBase, tauY: y(tau), domainMax, floor,
    teacherMid, studentMid, keys, taps, links,
  };
}

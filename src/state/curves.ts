/** Training curves kept in run records: one point per progress report (5 Hz at most), capped. */
import type { ProgressReport } from '../domain';

export interface CurvePoint {
  step: number;
  total: number;
  ce: number;
  kd: number;
  feat: number;
  trainAccuracy: number;
}

/** Most points a curve keeps; past it every other point is dropped (the last one stays). */
export const MAX_CURVE_POINTS = 400;

/**
 * Appends the point of `report` to `curve`. A report whose step is not after the last point
 * (a resumed run replays part of an epoch) first drops the points from that step on.
 */
export function appendCurve(curve: CurvePoint[], report: ProgressReport): CurvePoint[] {
  const pt: CurvePoint = {
    step: report.step, total: report.loss.total, ce: report.loss.ce, kd: report.loss.kd, feat: report.loss.feat,
    trainAccuracy: report.trainAccuracy,
  };
  let out = curve;
  if (out.length > 0 && out[out.length - 1].step >= pt.step) out = out.filter((p) => p.step < pt.step);
  out = [...out, pt];
  if (out.length > MAX_CURVE_POINTS) {
    const last = out[out.length - 1];
    out = out.filter((_, i) => i % 2 === 0);
    if (out[out.length - 1] !== last) out.push(last);
  }
  return out;
}

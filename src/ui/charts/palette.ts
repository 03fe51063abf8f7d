/**
 * One colour scale per meaning. Methods (and the teacher) get Okabe–Ito colours, safe for the
 * common colour-vision deficiencies, as CSS variables of src/app/styles.css (so the dark theme
 * has its own shades; use them as `style={{ stroke }}`); loss terms and data splits are told apart
 * by dash pattern, never by colour; counts use the cividis sequential scale.
 */
import { interpolateCividis } from 'd3-scale-chromatic';
import type { MethodId } from '../../domain';

export const METHOD_COLOURS: Record<MethodId | 'teacher', string> = {
  teacher: 'var(--teacher)',
  'student-alone': 'var(--m-student-alone)',
  kd: 'var(--m-kd)',
  at: 'var(--m-at)',
  afd: 'var(--m-afd)',
  rtk: 'var(--m-rtk)',
};

/** Dash patterns of loss terms and splits (the second meaning on the same chart). */
export const DASHES = { total: '', ce: '6 3', kd: '2 3', feat: '8 3 2 3', train: '2 3', val: '' } as const;

/** Background of a cell holding `frac` ∈ [0, 1] of the largest count, with a readable text colour. */
export function countColours(frac: number): { background: string; color: string } {
  const f = Math.max(0, Math.min(1, frac));
  return { background: interpolateCividis(f), color: f > 0.55 ? '#000' : '#fff' };
}

/** The first screen's size line, from the teacher's card and the student preset's costs (pure: unit-tested). */

export interface SizeLineInput {
  teacher: { label: string; params: number; flops: number; fp32: number; accuracy: number } | null;
  /** With no teacher: 'none' when the dataset has none to load (an imported dataset with no teacher yet), else its card is loading. */
  noTeacher?: 'loading' | 'none';
  student: { label: string; params: number | null; flops: number | null; fp32: number | null };
  dataset: string;
}
interface Fmt { count(v: number): string; bytes(v: number): string; pct(v: number): string }

/** 8.4 → "8.4×", 22.3 → "22×". */
export const times = (r: number): string => (r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`);

/**
 * "Teacher: ResNet teacher, 99,622 parameters (389.2 KiB), 99.40% on MNIST digits test images.
 * Student: Plain CNN student, 12,018 parameters (8.3× smaller), 15× fewer FLOPs per image. The
 * pilot (two short trainings) measures how much of the teacher's accuracy the student keeps."
 */
export function sizeLine(x: SizeLineInput, f: Fmt): string {
  const t = x.teacher;
  const teacher = t
    ? `Teacher: ${t.label}, ${f.count(t.params)} parameters (${f.bytes(t.fp32)}), ${f.pct(t.accuracy)} on ${x.dataset} test images.`
    : x.noTeacher === 'none'
      ? `Teacher: none yet for ${x.dataset}; import your own or train one in step 2.`
      : `Teacher: loading its card for ${x.dataset}…`;
  const s = x.student;
  let student = `Student: ${s.label}`;
  if (s.params !== null && s.fp32 !== null) {
    student += `, ${f.count(s.params)} parameters (${f.bytes(s.fp32)}`;
    if (t && s.params > 0) student += t.params >= s.params ? `, ${times(t.params / s.params)} smaller` : `, ${times(s.params / t.params)} larger`;
    student += ')';
    if (t && s.flops) student += t.flops >= s.flops ? `, ${times(t.flops / s.flops)} fewer FLOPs per image` : `, ${times(s.flops / t.flops)} more FLOPs per image`;
    student += '.';
  } else {
    student += ' (its size is being measured).';
  }
  return `${teacher} ${student} The pilot trains the student twice, alone and with the teacher, and measures how much accuracy it keeps.`;
}

/**
 * Short labels that still tell a list of names apart (an ONNX teacher's taps run to 60 characters
 * and share their start and end, "/features/features.4/conv/…/Clip_output_0"). Names are split after
 * '/', '.', '_' and ':'; the parts every name shares at its start and at its end are dropped (one
 * part always stays), trailing separators go, and a label still longer than `max` characters keeps
 * its start and ends in '…'. A single name keeps its end instead (its most specific part). Labels
 * that would still collide fall back to the names' ends, then to the names themselves.
 */
export function distinctLabels(names: string[], max = 18): string[] {
  const clip = (s: string) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  const end = (s: string) => (s.length > max ? `…${s.slice(s.length - max + 1)}` : s);
  const distinct = (labels: string[]) => new Set(labels).size === labels.length;
  if (names.length < 2) return names.map(end);
  const parts = names.map((n) => n.split(/(?<=[/._:])/));
  const shortest = Math.min(...parts.map((p) => p.length));
  const same = (at: (p: string[]) => string) => parts.every((p) => at(p) === at(parts[0]));
  let head = 0;
  while (head < shortest - 1 && same((p) => p[head])) head++;
  let tail = 0;
  while (tail < shortest - 1 - head && same((p) => p[p.length - 1 - tail])) tail++;
  const labels = parts.map((p) => clip(p.slice(head, p.length - tail).join('').replace(/[/._:]+$/, '')));
  if (distinct(labels)) return labels;
  const ends = names.map(end);
  return distinct(ends) ? ends : names;
}

/** A count and its noun, singular for one: `nOf(1, 'image')` is "1 image", `nOf(2, 'empty file')` "2 empty files". */
export function nOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}

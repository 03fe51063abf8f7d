/**
 * Where each file of an imported folder or zip belongs: the layout of torchvision's ImageFolder
 * and Keras' image_dataset_from_directory, `<root>/<class>/<image>`, optionally under top-level
 * `train/` and `test/` (or `val/`) folders. Pure: paths in, classes and splits out.
 */

/** Compares by Unicode code point, as Python's sorted() does for str (JS's default sort compares UTF-16 units). */
export function byCodePoint(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** OS clutter that is skipped without an error (and counted). */
export function isClutter(path: string): boolean {
  const parts = path.split('/');
  const base = parts[parts.length - 1];
  return parts.includes('__MACOSX') || base.startsWith('._') || base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini';
}

const SPLITS: Record<string, 'train' | 'test' | 'val'> = { train: 'train', training: 'train', test: 'test', testing: 'test', val: 'val', valid: 'val', validation: 'val' };

export type Placement =
  | { kind: 'image'; className: string; split: 'train' | 'test' | null }
  | { kind: 'clutter' }
  | { kind: 'outside-classes' };

export interface Layout {
  /** Path segments dropped in front of every path (the picked folder or a zip's wrapper folder). */
  prefix: string;
  /** 'folders' when the root holds train/ and test/ (or val/) folders. */
  split: 'folders' | 'stratified';
  /** Every class folder seen (also empty ones), sorted by code point. */
  classNames: string[];
  place(path: string): Placement;
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && s !== '.');
}

/**
 * Works out the layout from every path (files, and directories ending in '/').
 * @param paths relative paths with '/' separators.
 * @param rootIsPicked the first segment is the folder the user picked (folder picker, drop):
 *   it is always dropped. Otherwise (zip) one wrapper folder is dropped when everything sits in
 *   it and it has sub-folders.
 */
export function detectLayout(paths: string[], rootIsPicked: boolean): Layout {
  const useful = paths.filter((p) => !isClutter(p));
  let prefix = '';
  const firsts = new Set(useful.map((p) => segments(p)[0]));
  const deep = useful.some((p) => segments(p).length >= 3 || (p.endsWith('/') && segments(p).length >= 2));
  if (firsts.size === 1 && (rootIsPicked || deep)) prefix = `${[...firsts][0]}/`;
  const rel = (p: string) => segments(p.startsWith(prefix) ? p.slice(prefix.length) : p);
  const tops = new Set<string>();
  for (const p of useful) {
    const s = rel(p);
    if (s.length >= 2 || (p.endsWith('/') && s.length >= 1)) tops.add(s[0]);
  }
  const splitTops = [...tops].filter((t) => SPLITS[t.toLowerCase()]);
  const hasTest = splitTops.some((t) => SPLITS[t.toLowerCase()] !== 'train');
  const folders = splitTops.some((t) => SPLITS[t.toLowerCase()] === 'train') && hasTest;
  const hasRealTest = splitTops.some((t) => SPLITS[t.toLowerCase()] === 'test');

  const place = (path: string): Placement => {
    if (isClutter(path)) return { kind: 'clutter' };
    const s = rel(path);
    if (!folders) return s.length >= 2 ? { kind: 'image', className: s[0], split: null } : { kind: 'outside-classes' };
    const sp = SPLITS[s[0]?.toLowerCase() ?? ''];
    if (!sp || s.length < 3) return { kind: 'outside-classes' };
    // val/ is the test split when there is no test/; next to test/ it joins training (the
    // studio holds out its own validation images from training).
    const split = sp === 'test' || (sp === 'val' && !hasRealTest) ? 'test' : 'train';
    return { kind: 'image', className: s[1], split };
  };

  const classes = new Set<string>();
  for (const p of useful) {
    const s = rel(p);
    const isDir = p.endsWith('/');
    if (folders) {
      if (SPLITS[s[0]?.toLowerCase() ?? ''] && (s.length >= 3 || (isDir && s.length >= 2))) classes.add(s[1]);
    } else if (s.length >= 2 || (isDir && s.length >= 1)) classes.add(s[0]);
  }
  return { prefix, split: folders ? 'folders' : 'stratified', classNames: [...classes].sort(byCodePoint), place };
}

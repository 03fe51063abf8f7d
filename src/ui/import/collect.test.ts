import { describe, expect, it } from 'vitest';
import { fromDrop, fromFileList } from './collect';

/**
 * A dropped folder as Chromium hands it over: FileSystemDirectoryEntry readers give out at most
 * 100 entries per readEntries call, so a reader that is called once sees only the first 100.
 */
type Node = { name: string; children?: Node[] };

function entry(node: Node): FileSystemEntry {
  if (!node.children) {
    return { name: node.name, isFile: true, isDirectory: false, file: (ok: (f: File) => void) => ok(new File([new Uint8Array(3)], node.name)) } as unknown as FileSystemEntry;
  }
  const kids = node.children;
  return {
    name: node.name, isFile: false, isDirectory: true,
    createReader() {
      let at = 0;
      return { readEntries(ok: (e: FileSystemEntry[]) => void) { const batch = kids.slice(at, at + 100).map(entry); at += batch.length; setTimeout(() => ok(batch), 0); } };
    },
  } as unknown as FileSystemEntry;
}

const dropOf = (...roots: Node[]) => ({ items: roots.map((r) => ({ webkitGetAsEntry: () => entry(r) })) }) as unknown as DataTransfer;

describe('fromDrop', () => {
  it('reads every entry of a large folder (readEntries until it returns none), nested folders and empty ones too', async () => {
    const cats = Array.from({ length: 250 }, (_, i) => ({ name: `cat-${i}.png` }));
    const dogs = Array.from({ length: 101 }, (_, i) => ({ name: `dog-${i}.png` }));
    const picked = await fromDrop(dropOf({ name: 'pets', children: [{ name: 'cat', children: cats }, { name: 'dog', children: dogs }, { name: 'empty', children: [] }] }));
    expect(picked.kind).toBe('files');
    if (picked.kind !== 'files') return;
    expect(picked.name).toBe('pets');
    const all = picked.files.slice(0, picked.files.count);
    const paths = all.map((f) => f.path);
    expect(paths.filter((p) => p.startsWith('pets/cat/cat-'))).toHaveLength(250);
    expect(paths.filter((p) => p.startsWith('pets/dog/dog-'))).toHaveLength(101);
    // Folders are remembered as "name/", so an empty class is reported rather than missed.
    expect(paths).toContain('pets/empty/');
    expect(paths).toHaveLength(250 + 101 + 3);
    // Slices cover the list without overlap.
    expect([...picked.files.slice(0, 100), ...picked.files.slice(100, 1000)].map((f) => f.path)).toEqual(paths);
  });

  it('refuses two folders, or a single image, with what to drop instead', async () => {
    const two = await fromDrop(dropOf({ name: 'a', children: [] }, { name: 'b', children: [] }));
    expect(two).toEqual({ kind: 'error', message: expect.stringMatching(/Drop one folder/) });
    const one = await fromDrop(dropOf({ name: 'cat.png' }));
    expect(one).toEqual({ kind: 'error', message: expect.stringMatching(/cat\.png: drop a folder of class folders or a \.zip/) });
  });
});

describe('fromFileList', () => {
  it('walks a picked folder lazily, a slice at a time, with paths relative to the picked folder', () => {
    const files = Array.from({ length: 5 }, (_, i) => {
      const f = new File([new Uint8Array(1)], `${i}.png`);
      Object.defineProperty(f, 'webkitRelativePath', { value: `pets/cat/${i}.png` });
      return f;
    });
    const picked = fromFileList(files);
    expect(picked.kind).toBe('files');
    if (picked.kind !== 'files') return;
    expect(picked.name).toBe('pets');
    expect(picked.files.count).toBe(5);
    expect(picked.files.slice(3, 99).map((f) => f.path)).toEqual(['pets/cat/3.png', 'pets/cat/4.png']);
  });

  it('takes a lone .zip as a zip and an empty pick as an error', () => {
    expect(fromFileList([new File([new Uint8Array(1)], 'pets.zip')]).kind).toBe('zip');
    expect(fromFileList([]).kind).toBe('error');
  });
});

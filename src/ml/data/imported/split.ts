/**
 * The stratified train/test split of an imported dataset without split folders: in each class,
 * the images with the smallest seeded hash of their content go to test. It depends on the
 * images, not the order they were read in (a folder and a zip of it split alike), and identical
 * files always land on the same side, so an exact duplicate never leaks across the split. A class
 * keeps at least one training image: a group of copies that would take a class's last training
 * images stays in train (a class whose files are all one picture has no test image, rather than
 * no training image).
 */

/** 32-bit mix of a content key and the seed (murmur3's finaliser). */
export function seededRank(key: number, seed: number): number {
  let h = (key ^ Math.imul(seed + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Split code per image: 1 = train, 2 = test. About `round(share · n)` images of each class go to
 * test, in whole groups of equal keys, never the class's last training image.
 */
export function stratifiedSplit(labels: Uint8Array, keys: Uint32Array, numClasses: number, share: number, seed: number): Uint8Array {
  const out = new Uint8Array(labels.length).fill(1);
  for (let c = 0; c < numClasses; c++) {
    const idx: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) idx.push(i);
    const ranked = idx.map((i) => ({ i, r: seededRank(keys[i], seed) })).sort((a, b) => a.r - b.r || keys[a.i] - keys[b.i] || a.i - b.i);
    // Whole runs of equal keys move together, so duplicates stay on one side.
    let nTest = Math.round(share * idx.length);
    let j = 0;
    while (j < ranked.length && nTest > 0) {
      let end = j;
      while (end < ranked.length && ranked[end].r === ranked[j].r) end++;
      if (end === ranked.length) break; // this group would leave the class no training image
      for (; j < end; j++) { out[ranked[j].i] = 2; nTest--; }
    }
  }
  return out;
}

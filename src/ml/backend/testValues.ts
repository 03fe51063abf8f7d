/** Deterministic test inputs, the same on every backend (no GPU needed to import). */
/**
 * n pseudo-random values made in JS (the same on every backend): (the sum of `terms` uniforms
 * in [0,1) − terms/2)·scale + shift, from a linear congruential stream seeded by `seed`.
 */
export function testValues(n: number, seed: number, { terms = 2, scale = 2, shift = 0 } = {}): Float32Array {
  let s = seed * 2654435761 >>> 0;
  const next = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  return Float32Array.from({ length: n }, () => {
    let v = 0;
    for (let k = 0; k < terms; k++) v += next();
    return (v - terms / 2) * scale + shift;
  });
}

/**
 * The WGSL of webgpuAfdDistance.ts's kernels, generated per tap count where a kernel binds one
 * buffer per tap: teacher values, student energies, resize + L2 + D, and the three gradients.
 * The `meta` layout they read is fusedAfdDistance.ts's.
 */
import { META } from './fusedAfdDistance';

export const WG = 64;
export const EW = 256;

const UNIFORMS = 'struct U { B: u32, S: u32, T: u32, R: u32, PE: u32, PR: u32, PT: u32, eps: f32, n: u32, PC: u32 }';

/** Accessors of the `meta` records (bound as `geo`: `meta` is a reserved word in WGSL). */
const META_FNS = /* wgsl */ `
fn sH(m: u32) -> u32 { return geo[m * ${META.student}u]; }
fn sW(m: u32) -> u32 { return geo[m * ${META.student}u + 1u]; }
fn sOff(m: u32) -> u32 { return geo[m * ${META.student}u + 2u]; }
fn sC(m: u32) -> u32 { return geo[m * ${META.student}u + 3u]; }
fn sOffF(m: u32) -> u32 { return geo[m * ${META.student}u + 4u]; }
fn rBase() -> u32 { return u.S * ${META.student}u; }
fn rH(r: u32) -> u32 { return geo[rBase() + r * ${META.resolution}u]; }
fn rW(r: u32) -> u32 { return geo[rBase() + r * ${META.resolution}u + 1u]; }
fn rOff(r: u32) -> u32 { return geo[rBase() + r * ${META.resolution}u + 2u]; }
fn nBase() -> u32 { return rBase() + u.R * ${META.resolution}u; }
fn tOff(n: u32) -> u32 { return geo[nBase() + n * ${META.teacher}u]; }
fn tRes(n: u32) -> u32 { return geo[nBase() + n * ${META.teacher}u + 1u]; }
fn tC(n: u32) -> u32 { return geo[nBase() + n * ${META.teacher}u + 2u]; }
fn tOffC(n: u32) -> u32 { return geo[nBase() + n * ${META.teacher}u + 3u]; }
fn pBase(m: u32, r: u32) -> u32 { return nBase() + u.T * ${META.teacher}u + (m * u.R + r) * ${META.pair}u; }
/** The student tap that owns offset j of a per-sample row laid out by off(m). */
fn tapOf(j: u32, byElements: bool) -> u32 {
  var m = 0u;
  for (var k = 1u; k < u.S; k = k + 1u) {
    var o = sOff(k);
    if (byElements) { o = sOffF(k) * u.B; }
    if (j >= o) { m = k; }
  }
  return m;
}`;

/** Workgroup sum of `value` into `name` (every thread); the calls must be in uniform control flow. */
const sum = (value: string, name: string) => /* wgsl */ `
  part[lid.x] = ${value};
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (lid.x < k) { part[lid.x] = part[lid.x] + part[lid.x + k]; }
    workgroupBarrier();
  }
  let ${name} = part[0];
  workgroupBarrier();`;

const bind = (i: number, name: string, access: 'read' | 'read_write', type = 'f32') =>
  `@group(0) @binding(${i}) var<storage, ${access}> ${name}: array<${type}>;`;

/** `fn rd(k, i)`: element i of the k-th of `count` buffers named prefix0…; `fn wr(k, i, v)` likewise. */
function tapAccess(prefix: string, count: number, write = false): string {
  const last = count - 1;
  const branches = Array.from({ length: last }, (_, k) => write
    ? `if (k == ${k}u) { ${prefix}${k}[i] = v; return; }`
    : `if (k == ${k}u) { return ${prefix}${k}[i]; }`).join('\n  ');
  return write
    ? `fn wr(k: u32, i: u32, v: f32) {\n  ${branches}\n  ${prefix}${last}[i] = v;\n}`
    : `fn rd(k: u32, i: u32) -> f32 {\n  ${branches}\n  return ${prefix}${last}[i];\n}`;
}

const WG_MAIN = `@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>)`;
const EW_MAIN = `@compute @workgroup_size(${EW})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>)`;
const PART = `var<workgroup> part: array<f32, ${WG}>;`;

/** One workgroup per (b, n): the energy row of teacher tap n, L2-normalised in place (and its channels' means). */
export const teacherWgsl = (T: number, pooled: boolean) => {
  const o = pooled ? 1 : 0;
  return /* wgsl */ `
${UNIFORMS}
${bind(0, 'Vt', 'read_write')}
${pooled ? bind(1, 'pooled', 'read_write') : ''}
${Array.from({ length: T }, (_, n) => bind(1 + o + n, `t${n}`, 'read')).join('\n')}
${bind(T + 1 + o, 'geo', 'read', 'u32')}
@group(0) @binding(${T + 2 + o}) var<uniform> u: U;
${META_FNS}
${tapAccess('t', T)}
${PART}
${WG_MAIN} {
  let b = wid.x / u.T;
  let n = wid.x % u.T;
  let C = tC(n);
  let P = rH(tRes(n)) * rW(tRes(n));
  let o = b * u.PT + tOff(n);
  var sq = 0.0;
  for (var p = lid.x; p < P; p = p + ${WG}u) {
    var e = 0.0;
    for (var c = 0u; c < C; c = c + 1u) { let v = rd(n, (b * P + p) * C + c); e = e + v * v; }
    e = e / f32(C);
    Vt[o + p] = e;
    sq = sq + e * e;
  }${sum('sq', 'total')}
  let nu = sqrt(total + u.eps);
  for (var p = lid.x; p < P; p = p + ${WG}u) { Vt[o + p] = Vt[o + p] / nu; }${pooled ? `
  for (var c = lid.x; c < C; c = c + ${WG}u) {
    var s = 0.0;
    for (var p = 0u; p < P; p = p + 1u) { s = s + rd(n, (b * P + p) * C + c); }
    pooled[b * u.PC + tOffC(n) + c] = s / f32(P);
  }` : ''}
}`;
};

/** One thread per (b, pixel of tap m): E = mean_c F². */
export const energyWgsl = (S: number) => /* wgsl */ `
${UNIFORMS}
${bind(0, 'E', 'read_write')}
${Array.from({ length: S }, (_, m) => bind(1 + m, `x${m}`, 'read')).join('\n')}
${bind(S + 1, 'geo', 'read', 'u32')}
@group(0) @binding(${S + 2}) var<uniform> u: U;
${META_FNS}
${tapAccess('x', S)}
${EW_MAIN} {
  for (var i = gid.x; i < u.B * u.PE; i = i + nw.x * ${EW}u) {
    let b = i / u.PE;
    let j = i % u.PE;
    let m = tapOf(j, false);
    let C = sC(m);
    let base = (b * sH(m) * sW(m) + j - sOff(m)) * C;
    var s = 0.0;
    for (var c = 0u; c < C; c = c + 1u) { let v = rd(m, base + c); s = s + v * v; }
    E[i] = s / f32(C);
  }
}`;

/** Ids of a (b, m, r) workgroup and the offsets it works on. */
const ROW = /* wgsl */ `
  let r = wid.x % u.R;
  let m = (wid.x / u.R) % u.S;
  let b = wid.x / (u.R * u.S);
  let H = rH(r);
  let W = rW(r);
  let P = H * W;
  let row = (b * u.S + m) * u.PR + rOff(r);
  let ni = (b * u.S + m) * u.R + r;`;

/** One workgroup per (b, m, r): s = L2(resize(e_m)) into Vs, then D[b,n,m] for every n at r. */
export const DIST = /* wgsl */ `
${UNIFORMS}
${bind(0, 'Vs', 'read_write')}
${bind(1, 'norms', 'read_write')}
${bind(2, 'D', 'read_write')}
${bind(3, 'E', 'read')}
${bind(4, 'geo', 'read', 'u32')}
${bind(5, 'wt', 'read')}
${bind(6, 'Vt', 'read')}
@group(0) @binding(7) var<uniform> u: U;
${META_FNS}
${PART}
${WG_MAIN} {${ROW}
  let h = sH(m);
  let w = sW(m);
  let oh = geo[pBase(m, r)];
  let ow = geo[pBase(m, r) + 1u];
  let e0 = b * u.PE + sOff(m);
  var sq = 0.0;
  for (var p = lid.x; p < P; p = p + ${WG}u) {
    let i = p / W;
    let j = p % W;
    var acc = 0.0;
    for (var y = 0u; y < h; y = y + 1u) {
      let a = wt[oh + i * h + y];
      if (a != 0.0) {
        var line = 0.0;
        for (var x = 0u; x < w; x = x + 1u) { line = line + wt[ow + j * w + x] * E[e0 + y * w + x]; }
        acc = acc + a * line;
      }
    }
    Vs[row + p] = acc;
    sq = sq + acc * acc;
  }${sum('sq', 'total')}
  let nu = sqrt(total + u.eps);
  for (var p = lid.x; p < P; p = p + ${WG}u) { Vs[row + p] = Vs[row + p] / nu; }
  if (lid.x == 0u) { norms[ni] = nu; }
  for (var n = 0u; n < u.T; n = n + 1u) {
    let hit = tRes(n) == r;
    var acc = 0.0;
    if (hit) {
      let t0 = b * u.PT + tOff(n);
      for (var p = lid.x; p < P; p = p + ${WG}u) { let d = Vs[row + p] - Vt[t0 + p]; acc = acc + d * d; }
    }${sum('acc', 'dsum')}
    if (hit && lid.x == 0u) { D[(b * u.T + n) * u.S + m] = dsum / f32(P); }
  }
}`;

/** One workgroup per (b, m, r): dR = (dS − s·Σ dS·s)/ν, dS from every teacher tap at r. */
export const DIST_GRAD = /* wgsl */ `
${UNIFORMS}
${bind(0, 'dR', 'read_write')}
${bind(1, 'dD', 'read')}
${bind(2, 'Vs', 'read')}
${bind(3, 'Vt', 'read')}
${bind(4, 'norms', 'read')}
${bind(5, 'geo', 'read', 'u32')}
@group(0) @binding(6) var<uniform> u: U;
${META_FNS}
${PART}
${WG_MAIN} {${ROW}
  let twoOverP = 2.0 / f32(P);
  var sd = 0.0;
  for (var p = lid.x; p < P; p = p + ${WG}u) {
    let s = Vs[row + p];
    var ds = 0.0;
    for (var n = 0u; n < u.T; n = n + 1u) {
      if (tRes(n) == r) { ds = ds + dD[(b * u.T + n) * u.S + m] * (s - Vt[b * u.PT + tOff(n) + p]); }
    }
    ds = ds * twoOverP;
    dR[row + p] = ds;
    sd = sd + ds * s;
  }${sum('sd', 'sigma')}
  let nu = norms[ni];
  for (var p = lid.x; p < P; p = p + ${WG}u) { dR[row + p] = (dR[row + p] - Vs[row + p] * sigma) / nu; }
}`;

/** One thread per (b, pixel of tap m): dE = Σ_r Rhᵀ·dR·Rw. */
export const RESIZE_GRAD = /* wgsl */ `
${UNIFORMS}
${bind(0, 'dE', 'read_write')}
${bind(1, 'dR', 'read')}
${bind(2, 'geo', 'read', 'u32')}
${bind(3, 'wt', 'read')}
@group(0) @binding(4) var<uniform> u: U;
${META_FNS}
${EW_MAIN} {
  for (var q = gid.x; q < u.B * u.PE; q = q + nw.x * ${EW}u) {
    let b = q / u.PE;
    let m = tapOf(q % u.PE, false);
    let h = sH(m);
    let w = sW(m);
    let pix = q % u.PE - sOff(m);
    let y = pix / w;
    let x = pix % w;
    var acc = 0.0;
    for (var r = 0u; r < u.R; r = r + 1u) {
      let H = rH(r);
      let W = rW(r);
      let oh = geo[pBase(m, r)];
      let ow = geo[pBase(m, r) + 1u];
      let row = (b * u.S + m) * u.PR + rOff(r);
      for (var i = 0u; i < H; i = i + 1u) {
        let a = wt[oh + i * h + y];
        if (a != 0.0) {
          var line = 0.0;
          for (var j = 0u; j < W; j = j + 1u) { line = line + wt[ow + j * w + x] * dR[row + i * W + j]; }
          acc = acc + a * line;
        }
      }
    }
    dE[q] = acc;
  }
}`;

/** One thread per element of every student tap: dF = 2·F·dE / c. */
export const energyGradWgsl = (S: number) => /* wgsl */ `
${UNIFORMS}
${Array.from({ length: S }, (_, m) => bind(m, `o${m}`, 'read_write')).join('\n')}
${bind(S, 'dE', 'read')}
${bind(S + 1, 'geo', 'read', 'u32')}
${Array.from({ length: S }, (_, m) => bind(S + 2 + m, `x${m}`, 'read')).join('\n')}
@group(0) @binding(${2 * S + 2}) var<uniform> u: U;
${META_FNS}
${tapAccess('x', S)}
${tapAccess('o', S, true)}
${EW_MAIN} {
  for (var i = gid.x; i < u.n; i = i + nw.x * ${EW}u) {
    let m = tapOf(i, true);
    let li = i - sOffF(m) * u.B;
    let C = sC(m);
    let px = li / C;
    let P = sH(m) * sW(m);
    let de = dE[(px / P) * u.PE + sOff(m) + px % P];
    wr(m, li, 2.0 * rd(m, li) * de / f32(C));
  }
}`;

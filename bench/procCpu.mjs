/**
 * Where the machine's CPU went while bench:ui measured: per Chromium process type and thread, from
 * Linux's /proc (utime + stime of every thread). On a 2-core machine the main thread's long tasks
 * are mostly time spent waiting for a core, so the figures say who held the cores: the training
 * worker, the GPU process (SwiftShader GL rasterises the page on the CPU), the raster threads.
 * Elsewhere than Linux every call returns null and the bench goes on without these figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { chromiumProcesses } from './procMemory.mjs';

const TICK = 100; // USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK))

function chromiumPids() {
  return chromiumProcesses()?.map(({ pid, type }) => ({ pid, type })) ?? null;
}

/** The Chromium processes running now, to leave out of later snapshots (an idle browser kept open by the harness). */
export function chromiumPidsNow() {
  return new Set((chromiumPids() ?? []).map((p) => p.pid));
}

/** What a thread is, for the figures: the GPU process as one, the renderer's main thread, its workers, the rest. */
function group(type, thread) {
  if (type === 'gpu-process') return 'GPU process';
  if (type === 'renderer') {
    if (thread === 'chromium' || thread === 'chrome') return 'page main thread';
    if (thread === 'DedicatedWorker') return 'page workers (training, teacher)';
    return 'page other threads (raster, compositor, IO)';
  }
  return 'browser and utility processes';
}

/** Cumulative CPU ticks per thread of Chromium processes not in `skip`; null off Linux. */
export function cpuSnapshot(skip = new Set()) {
  const procs = chromiumPids();
  if (!procs) return null;
  const threads = new Map();
  for (const { pid, type } of procs) {
    if (skip.has(pid)) continue;
    let tids;
    try { tids = readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tids) {
      try {
        const s = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
        const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
        const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        threads.set(`${pid}/${tid}`, { group: group(type, name), ticks: Number(f[11]) + Number(f[12]) });
      } catch { /* the thread ended meanwhile */ }
    }
  }
  return { at: performance.now(), threads };
}

/**
 * CPU used between two snapshots, per group, in % of one core (200 % is both cores of a 2-core
 * machine), largest first. Threads that started after `before` count from zero.
 */
export function cpuShare(before, after) {
  if (!before || !after) return null;
  const seconds = (after.at - before.at) / 1000;
  const sums = new Map();
  for (const [key, t] of after.threads) {
    const used = (t.ticks - (before.threads.get(key)?.ticks ?? 0)) / TICK;
    sums.set(t.group, (sums.get(t.group) ?? 0) + used);
  }
  return [...sums].map(([what, s]) => ({ what, percentOfOneCore: Math.round((100 * s) / seconds) }))
    .sort((a, b) => b.percentOfOneCore - a.percentOfOneCore);
}

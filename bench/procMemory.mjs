/**
 * Chromium's processes as Linux's /proc shows them, for the benches and the e2e tests that
 * measure them: which processes there are (type from --type=…, parent pid) and a renderer's
 * resident memory now and at its peak (VmRSS, VmHWM: the kernel's high-water mark, so no peak
 * falls between two samples), and its private part now (RssAnon + VmSwap: what Chrome's task
 * manager calls the memory footprint; VmRSS also counts Chromium's own code and data files,
 * about 125 MiB shared with every Chromium process). A renderer's workers are its threads, so its figures include them.
 * Off Linux every function returns null or nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Chromium's processes now: { pid, ppid, type } (type 'browser' for the one without --type); null off Linux. */
export function chromiumProcesses() {
  if (!existsSync('/proc/self/stat')) return null;
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Zygote-forked processes rewrite their command line as one space-separated string.
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'latin1').replace(/\0/g, ' ');
      if (!/chrom/.test(cmd.split(' ')[0])) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: name, ppid, type: cmd.match(/--type=([\w-]+)/)?.[1] ?? 'browser' });
    } catch { /* the process ended meanwhile */ }
  }
  return out;
}

/** Whether process `pid` descends from process `ancestor` (a test runner that launched the browser). */
export function descendsFrom(pid, ancestor) {
  for (let p = Number(pid), hops = 0; p > 1 && hops < 64; hops++) {
    if (p === ancestor) return true;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'latin1');
      p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch { return false; }
  }
  return false;
}

/** Resident bytes now (rss), at the peak (hwm) and private now (anon) of each renderer whose pid passes `keep`, by pid. */
export function rendererMemory(keep = () => true) {
  const out = new Map();
  for (const { pid, type } of chromiumProcesses() ?? []) {
    if (type !== 'renderer' || !keep(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'latin1');
      const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
      out.set(pid, { rss: kb('VmRSS'), hwm: kb('VmHWM'), anon: kb('RssAnon') + kb('VmSwap') });
    } catch { /* ended meanwhile */ }
  }
  return out;
}

/**
 * Reading a Chrome trace of the studio's page (bench:ui, bench:import): which main-thread tasks ran
 * over a limit, what ran inside each, the thread's own CPU time in it and, with V8's sampler in the
 * trace, which functions were sampled.
 */
/** `--profile` adds V8's sampling profiler, so the trace also says which functions ran in each long task. */
export const traceCategories = (args) => ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', ...(args.profile ? ['disabled-by-default-v8.cpu_profiler'] : [])];

/**
 * The main thread's CPU-profile samples in a trace taken with `--profile` (V8's sampler), as
 * { ts, frame } with the sampled function's call frame; null without a profile.
 */
function mainThreadSamples(events, threadNames) {
  const start = events.find((e) => e.name === 'Profile' && threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
  if (!start) return null;
  const nodes = new Map();
  const out = [];
  let ts = start.args?.data?.startTime ?? 0;
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.id !== start.id) continue;
    const cpu = e.args?.data?.cpuProfile ?? {};
    for (const n of cpu.nodes ?? []) nodes.set(n.id, n);
    const deltas = e.args?.data?.timeDeltas ?? [];
    (cpu.samples ?? []).forEach((id, i) => { ts += deltas[i] ?? 0; out.push({ ts, id }); });
  }
  return out.map((s) => ({ ts: s.ts, frame: nodes.get(s.id)?.callFrame }));
}

/** The functions that were running most often in [from, to] (self time, in samples), with their bundle file and line. */
function topFunctions(samples, from, to, count = 8) {
  const tally = new Map();
  let n = 0;
  for (const s of samples) {
    if (s.ts < from || s.ts > to || !s.frame) continue;
    const name = s.frame.functionName || '(anonymous)';
    if (name === '(idle)') continue;
    n += 1;
    const file = String(s.frame.url ?? '').split('/').pop();
    const key = file ? `${name} ${file}:${s.frame.lineNumber + 1}` : name;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  return [...tally].sort((a, b) => b[1] - a[1]).slice(0, count).map(([what, k]) => ({ what, share: Number((k / Math.max(1, n)).toFixed(2)) }));
}

/**
 * What ran in each main-thread task over 50 ms, from a Chrome trace: the renderer main thread's
 * top-level tasks, and inside each the longest script calls, style, layout, paint and GC events.
 */
export function longTaskCauses(traceJson, t0Ms, overMs = 50) {
  const events = JSON.parse(traceJson).traceEvents ?? [];
  const threadNames = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name);
  const main = events.filter((e) => threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain' && e.ph === 'X' && typeof e.dur === 'number');
  const all = main.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur > overMs * 1000);
  // The two task events nest (the scheduler's inside the thread's): keep the outer one.
  const tasks = all.filter((t) => !all.some((o) => o !== t && o.ts <= t.ts && o.ts + o.dur >= t.ts + t.dur && (o.ts !== t.ts || o.dur !== t.dur || all.indexOf(o) < all.indexOf(t))));
  const nav = events.find((e) => e.name === 'TracingStartedInBrowser') ?? events.find((e) => e.ph === 'X');
  const base = nav?.ts ?? 0;
  const samples = mainThreadSamples(events, threadNames);
  return tasks.map((t) => {
    const inside = main.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask');
    const label = (e) => {
      const d = e.args?.data ?? {};
      const where = d.functionName || d.url ? `${d.functionName || '(anonymous)'} ${String(d.url ?? '').split('/').pop()}:${d.lineNumber ?? ''}` : (d.type ?? d.stackTrace?.[0]?.functionName ?? '');
      return `${e.name}${where ? ` ${where}` : ''}`;
    };
    const top = inside.sort((a, b) => b.dur - a.dur).slice(0, 6).map((e) => ({ what: label(e), ms: Number((e.dur / 1000).toFixed(1)) }));
    // cpuMs: the thread's own CPU time in the task (less than ms when the OS ran other threads meanwhile).
    const functions = samples ? topFunctions(samples, t.ts, t.ts + t.dur) : undefined;
    return { atMsFromTraceStart: Math.round((t.ts - base) / 1000), ms: Number((t.dur / 1000).toFixed(1)), cpuMs: typeof t.tdur === 'number' ? Number((t.tdur / 1000).toFixed(1)) : null, inside: top, ...(functions ? { functions } : {}), t0Ms };
  });
}

/**
 * Thread count of the wasm backend's XNNPACK pool.
 *
 * tfjs-backend-wasm 4.22 (src/cc/backend.cc) sizes the pool as
 *   min(max(setThreadsCount(n) or num_cores, 1), 8, num_cores)
 * with num_cores = emscripten_num_logical_cores() / 2 = navigator.hardwareConcurrency / 2
 * (it assumes two hyper-threads per core), read once when the module's static initialisers
 * run, i.e. while the backend is being initialised. So `setThreadsCount` can only lower the
 * count, and a 2-core machine always gets 1 thread although the threaded binary, its 8 pthread
 * workers and cross-origin isolation are all in place.
 *
 * `withLogicalCores` reports twice the real core count to that initialiser (an own
 * `hardwareConcurrency` on `navigator`, removed again when `init` settles), so that
 * num_cores = the real core count and `setThreadsCount(cores)` is honoured. It is opt-in
 * (`initBackend(…, { wasmAllCores: true })`): measured on the 2-core dev box under load, the
 * 2-thread pool made training 2.5–3× slower (pthreadpool barriers wait on a descheduled core).
 */

interface Nav { hardwareConcurrency?: number }

function nav(): Nav | null {
  return typeof navigator === 'undefined' ? null : (navigator as unknown as Nav);
}

/** Logical cores as the page sees them (0 where unknown, e.g. old Node). */
export function logicalCores(): number {
  return nav()?.hardwareConcurrency ?? 0;
}

/**
 * Runs `init` (the wasm backend's initialisation) while navigator.hardwareConcurrency reads
 * 2 × the real value, so that the backend's "cores / 2" becomes the real core count.
 * Does nothing special on one core or where navigator is missing.
 */
export async function withLogicalCores<T>(init: () => Promise<T>): Promise<T> {
  const n = nav();
  const cores = logicalCores();
  if (n == null || cores < 2) return init();
  const own = Object.getOwnPropertyDescriptor(n, 'hardwareConcurrency');
  try {
    Object.defineProperty(n, 'hardwareConcurrency', { configurable: true, get: () => cores * 2 });
  } catch {
    return init(); // not configurable here: keep the stock sizing
  }
  try {
    return await init();
  } finally {
    if (own != null) Object.defineProperty(n, 'hardwareConcurrency', own);
    else delete (n as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * Whether the threaded binary is worth loading: it starts 8 pthread workers (PTHREAD_POOL_SIZE,
 * about 17 MB of JS heap each, measured with measureUserAgentSpecificMemory) however many threads
 * XNNPACK then uses, and TF.js's stock pool is cores / 2. Where that is one thread (fewer than 4
 * cores, `wasmAllCores` off) the single-threaded SIMD binary computes the same at 140 MB less.
 */
export function threadedBuildWorthIt(cores: number, allCores: boolean): boolean {
  const threads = allCores ? cores : Math.floor(cores / 2);
  return threads > 1;
}

/**
 * The wasm adapter line: "SIMD, N thread(s)", plus why it is 1 where that is not obvious
 * (the threaded binary loaded but TF.js capped the pool at cores / 2, or no threaded build).
 */
export function wasmAdapterLine(simd: boolean, threadedBuild: boolean, threads: number, cores: number): string {
  const base = `${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}`;
  if (!threadedBuild) return cores > 1 ? `${base} (single-threaded build${cores < 4 ? `: TF.js would use 1 of ${cores} cores` : ''})` : base;
  if (cores > threads) return `${base} (threaded build; TF.js uses ${threads} of ${cores} cores)`;
  return base;
}

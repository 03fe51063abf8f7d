/** Types of procMemory.mjs, for the TypeScript e2e tests that import it. */
export interface ChromiumProcess { pid: string; ppid: number; type: string }
export function chromiumProcesses(): ChromiumProcess[] | null;
export function descendsFrom(pid: string | number, ancestor: number): boolean;
export function rendererMemory(keep?: (pid: string) => boolean): Map<string, { rss: number; hwm: number; anon: number }>;

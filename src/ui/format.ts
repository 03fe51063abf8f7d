/** Number formatting shared by panels. */
export const pct = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;

/**
 * A whole number with comma thousands separators ("60,000"). Plain string work: the first
 * toLocaleString / Intl.NumberFormat call loads ICU data and blocks the main thread for tens of ms.
 */
export function count(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const s = String(Math.round(Math.abs(v))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return v < 0 ? `-${s}` : s;
}

export function compact(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)} G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return `${Math.round(v)}`;
}

export function bytes(v: number): string {
  if (v >= 1 << 20) return `${(v / (1 << 20)).toFixed(2)} MiB`;
  if (v >= 1 << 10) return `${(v / (1 << 10)).toFixed(1)} KiB`;
  return `${v} B`;
}

export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

import { useEffect, useState } from 'react';
import type { ImportSettings } from '../../domain';
import { channelsOf, formatBytes, importNeed, MEMORY_BUDGET_BYTES, type ImportNeed } from '../../domain';

type Estimate = { quota?: number; usage?: number } | null;

/** navigator.storage.estimate(), asked again whenever `key` changes (null where the browser has none). */
export function useStorageEstimate(key: unknown): Estimate | undefined {
  const [est, setEst] = useState<Estimate | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const ask = navigator.storage?.estimate?.bind(navigator.storage);
    if (!ask) { setEst(null); return; }
    ask().then((e) => { if (live) setEst({ quota: e.quota, usage: e.usage }); }, () => { if (live) setEst(null); });
    return () => { live = false; };
  }, [key]);
  return est;
}

/** Why an import of this size cannot start, with the size to pick instead; null when it fits. */
export function refusalOf(need: ImportNeed, s: ImportSettings): string | null {
  const instead = need.largestFit ? `Pick ${need.largestFit}×${need.largestFit} or smaller` : 'Import fewer images';
  const shape = `${s.height}×${s.width}×${channelsOf(s)}`;
  if (!need.memoryFits) return `Too large to train on: ${shape} images need ${formatBytes(need.pixels)} of memory, over the ${formatBytes(MEMORY_BUDGET_BYTES)} budget. ${instead}.`;
  if (!need.storageFits) return `Will not fit in this browser's storage: it needs ${formatBytes(need.storage)} and reports ${formatBytes(need.free ?? 0)} free for this site. ${instead}, free disk space, or remove an imported dataset.`;
  return null;
}

/**
 * What the import will need before it starts: the storage (images × h × w × c bytes, plus the
 * record), the browser's estimate of the room left, and the memory the training worker needs to
 * hold the images as bytes against its budget; a refusal, in words, when it will not fit.
 */
export function ImportNeedView({ files, settings, estimate }: { files: number; settings: ImportSettings; estimate: Estimate | undefined }) {
  const need = importNeed(files, settings, estimate ?? null);
  const shape = `${settings.height}×${settings.width}×${channelsOf(settings)}`;
  const refusal = refusalOf(need, settings);
  const room = estimate === undefined ? 'Asking the browser how much room it has…'
    : need.free === null ? 'This browser does not say how much room it has.'
      : `This browser reports ${formatBytes(need.free)} free for this site (quota ${formatBytes(need.quota ?? 0)}).`;
  return (
    <div className="import-need" data-testid="import-need">
      <p data-testid="import-storage">
        Storage: {files.toLocaleString('en-US')} images × {shape} = {formatBytes(need.pixels)} (+ about {formatBytes(need.storage - need.pixels)} for labels and the summary), kept in this browser in parts of about 4 MB. {room}
      </p>
      <p data-testid="import-memory">
        Memory: training holds the images as bytes, {formatBytes(need.pixels)} of the studio's {formatBytes(MEMORY_BUDGET_BYTES)} budget for one dataset.
      </p>
      {refusal ? <p className="error-text" role="alert" data-testid="import-refusal">{refusal}</p> : null}
    </div>
  );
}

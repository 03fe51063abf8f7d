import { startTransition, useEffect, useState } from 'react';
import type { DatasetId, DatasetPreview } from '../domain';
import { datasetInfo } from '../domain';
import type { Studio } from '../state/store';
import { selectBusy, selectDataset, selectDatasetMissing } from '../state/selectors';
import { ClassBalance } from './ClassBalance';
import { useHandles, useStudio, useStudioDeferred } from './context';
import { SelectField } from './fields';
import { count } from './format';
import { PreviewGrid } from './PreviewGrid';
import { Step } from './Step';
import { ImportedDataset } from './import/ImportedDataset';
import { ImportPanel } from './import/ImportPanel';

const BUILT_IN: DatasetId[] = ['mnist', 'fashion-mnist', 'cifar10'];
const selectImported = (s: Studio) => s.imported;
const selectNotReady = (s: Studio) => s.datasetsNotReady;
type Loaded = { dataset: DatasetId; preview: DatasetPreview | null; error: string | null };

/** Step 1: which images, what they look like, how many of each class. */
export function DatasetStep() {
  const dataset = useStudio(selectDataset);
  const busy = useStudioDeferred(selectBusy);
  const { store, client } = useHandles();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    let live = true;
    client.preview(dataset, 32).then(
      // A transition: the preview grid renders in short slices (it often lands while a run trains).
      (preview) => { if (live) startTransition(() => setLoaded({ dataset, preview, error: null })); },
      (err: unknown) => { if (live) setLoaded({ dataset, preview: null, error: err instanceof Error ? err.message : String(err) }); },
    );
    return () => { live = false; };
  }, [client, dataset]);
  const imported = useStudio(selectImported);
  const notReady = useStudio(selectNotReady);
  const missing = useStudio(selectDatasetMissing);
  const info = datasetInfo(dataset);
  const choices = [...BUILT_IN, ...(Object.keys(imported) as DatasetId[])];
  const current = loaded?.dataset === dataset ? loaded : null;
  const p = current?.preview;
  return (
    <Step n={1} id="step-dataset" title="Dataset" needs="nothing" produces="the images every model trains and is tested on"
      help={<p>The images and their labels. The grid shows the first training images as the models see them; the table shows how many images each class has. A class with far fewer images is usually learnt worse. Your own images: import a folder of class folders (or a zip of one) below; they are decoded in a worker and kept only in this browser.</p>}>
      <div className="control grid">
        <SelectField label="Dataset" explain={`${info.shape[0]}×${info.shape[1]} pixels, ${info.shape[2] === 1 ? 'greyscale' : 'colour'}, ${info.numClasses} classes.`}
          value={dataset} disabled={busy} onChange={(v) => store.getState().setConfig({ dataset: v })}
          options={choices.map((id) => ({ value: id, label: notReady?.[id] ? `${datasetInfo(id).label} (not prepared)` : datasetInfo(id).label }))} />
      </div>
      <ImportedDataset />
      {missing ? <p className="error-text" role="status" data-testid="dataset-missing">{missing}</p> : null}
      {current?.error && !missing ? <p className="error-text" role="status">Could not load {info.label}: {current.error}</p> : null}
      {!current && !missing ? <p role="status">Loading {info.label}…</p> : null}
      {p ? (
        <>
          <p data-testid="dataset-counts">{count(p.trainCount)} training images · {count(p.testCount)} test images</p>
          <div className="two-col">
            <PreviewGrid preview={p} classNames={info.classNames} />
            <ClassBalance preview={p} classNames={info.classNames} />
          </div>
        </>
      ) : null}
      <ImportPanel />
    </Step>
  );
}

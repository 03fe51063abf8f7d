import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import './import.css';
import type { DatasetPreview, ImportPreview, ImportProgress, ImportSettings, ImportSummary } from '../../domain';
import { DEFAULT_IMPORT, defaultImportSide, importNeed, nOf } from '../../domain';
import { selectBusy, selectConfig } from '../../state/selectors';
import type { Studio } from '../../state/store';
import { useHandles, useStudio, useStudioDeferred } from '../context';
import { PreviewGrid } from '../PreviewGrid';
import { fromDrop, fromFileList, type Picked } from './collect';
import { ImportNeedView, refusalOf, useStorageEstimate } from './ImportNeed';
import { ImportOptions } from './ImportOptions';
import { ImportSummaryView } from './ImportSummaryView';
import { useImportActions } from './useImportActions';

type Staged = { jobId: string; name: string };
const selectTeacherInfo = (s: Studio) => s.ownTeacher.info;

function asPreview(p: ImportPreview): DatasetPreview {
  const names = [...new Set(p.labels)];
  return { dataset: 'mnist', shape: p.shape, images: p.images, labels: p.labels.map((l) => names.indexOf(l)), trainCount: 0, testCount: 0, classCounts: [] };
}

/** Import your own labelled images: a folder (picker or drop) or a zip, previewed, then decoded in a worker. */
export function ImportPanel() {
  const { importer } = useHandles();
  const busy = useStudioDeferred(selectBusy);
  const seed = useStudio(selectConfig).seed;
  const { add, use } = useImportActions();
  const teacher = useStudio(selectTeacherInfo);
  const [staged, setStaged] = useState<Staged | null>(null);
  const [settings, setSettings] = useState<ImportSettings>({ ...DEFAULT_IMPORT, seed });
  const [touched, setTouched] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportSummary | null>(null);
  const [drag, setDrag] = useState(false);
  const [sizeNote, setSizeNote] = useState<string | null>(null);
  const estimate = useStorageEstimate(staged?.jobId ?? result);
  const folderInput = useRef<HTMLInputElement>(null);
  // Made once per preview: progress re-renders this panel several times a second.
  const grid = useMemo(() => (preview && preview.labels.length ? { p: asPreview(preview), names: [...new Set(preview.labels)] } : null), [preview]);

  useEffect(() => {
    if (!staged) return;
    let live = true;
    importer.preview(staged.jobId, settings).then((p) => {
      if (!live) return;
      setPreview(p);
      if (touched) return;
      // The user's teacher's input size when one is imported, else the sampled images' suggestion.
      const d = defaultImportSide(teacher, p.suggested.height, p.sourceSize);
      const colour = teacher ? (teacher.inputShape[2] === 1 ? 'grey' : 'rgb') : p.suggested.colour;
      setSizeNote(d.reason);
      if (colour !== settings.colour || d.side !== settings.height) setSettings((s) => ({ ...s, colour, height: d.side, width: d.side }));
    }, (e: unknown) => { if (live) { setError(String(e instanceof Error ? e.message : e)); setStaged(null); } });
    return () => { live = false; };
  }, [importer, staged, settings, touched, teacher]);
  const refusal = preview ? refusalOf(importNeed(preview.files, settings, estimate ?? null), settings) : null;

  const stage = async (picked: Picked) => {
    setError(null); setResult(null); setPreview(null); setTouched(false); setSizeNote(null);
    if (staged) importer.cancel(staged.jobId);
    if (picked.kind === 'error') { setError(picked.message); setStaged(null); return; }
    const jobId = picked.kind === 'zip' ? importer.stageZip(picked.file) : await importer.stageFiles(picked.name, picked.files);
    setSettings({ ...DEFAULT_IMPORT, seed });
    setStaged({ jobId, name: picked.kind === 'zip' ? picked.file.name : picked.name });
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault(); setDrag(false);
    void fromDrop(e.dataTransfer).then(stage, (err: unknown) => setError(`The dropped folder could not be read (${String(err)}); try the folder button.`));
  };
  const runImport = async () => {
    if (!staged) return;
    setError(null);
    importer.onProgress = (jobId, p) => { if (jobId === staged.jobId) setProgress(p); };
    try {
      const summary = await importer.import(staged.jobId, settings);
      add(summary);
      setResult(summary);
      setStaged(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setProgress(null);
    }
  };
  const change = (patch: Partial<ImportSettings>) => { setTouched(true); setSettings((s) => ({ ...s, ...patch })); };

  return (
    <div className="import" data-testid="import-panel">
      <h3>Your own images</h3>
      <div className={drag ? 'dropzone over' : 'dropzone'} data-testid="dropzone"
        onDragOver={(e) => { e.preventDefault(); setDrag(true); }} onDragLeave={() => setDrag(false)} onDrop={onDrop}>
        <p>Drop a folder laid out as <code>&lt;root&gt;/&lt;class&gt;/&lt;image&gt;</code> (optionally under <code>train/</code> and <code>test/</code>), or a .zip of one, here. The images stay in this browser.</p>
        <label className="control file-button">
          Choose a folder…
          <input ref={folderInput} type="file" data-testid="import-folder" aria-label="Import a folder of class folders" multiple disabled={busy || !!progress}
            {...{ webkitdirectory: '', directory: '' }} onChange={(e) => {
              const input = e.target;
              // Cleared only once staged (so the same folder can be picked again): the FileList is read lazily.
              if (input.files) void stage(fromFileList(input.files)).finally(() => { input.value = ''; });
            }} />
        </label>
        <label className="control file-button">
          Choose a .zip…
          <input type="file" accept=".zip,application/zip" data-testid="import-zip" aria-label="Import a zip of class folders" disabled={busy || !!progress}
            onChange={(e) => { const f = e.target.files?.[0]; if (f) void stage({ kind: 'zip', file: f }); e.target.value = ''; }} />
        </label>
      </div>
      {error ? <p className="error-text" role="alert" data-testid="import-error">{error}</p> : null}
      {staged ? (
        <div data-testid="import-staged">
          <p>{staged.name}: {preview ? `${nOf(preview.files, 'file')}, ${nOf(preview.classNames.length, 'class folder')} (${preview.classNames.slice(0, 12).join(', ')}${preview.classNames.length > 12 ? ', …' : ''})` : 'reading…'}</p>
          <ImportOptions settings={settings} split={preview?.split ?? null} onChange={change} disabled={!!progress}
            teacherSide={teacher ? Math.max(teacher.inputShape[0], teacher.inputShape[1]) : null} sizeNote={touched ? null : sizeNote} />
          {preview ? <ImportNeedView files={preview.files} settings={settings} estimate={estimate} /> : null}
          {grid ? <PreviewGrid preview={grid.p} classNames={grid.names} /> : null}
          <button type="button" className="control primary" onClick={() => void runImport()} disabled={!preview || !!progress || busy || !!refusal}>Import {preview ? nOf(preview.files, 'file') : 'files'}</button>
          <button type="button" className="control" onClick={() => { importer.cancel(staged.jobId); setStaged(null); setProgress(null); }}>Cancel</button>
          {progress ? <p role="status" data-testid="import-progress"><progress max={Math.max(1, progress.total)} value={progress.done} /> {progress.message}</p> : null}
        </div>
      ) : null}
      {result ? (
        <div>
          <ImportSummaryView summary={result} />
          <button type="button" className="control primary" disabled={busy} onClick={() => { use(result.id); setResult(null); }}>Use these images</button>
        </div>
      ) : null}
    </div>
  );
}

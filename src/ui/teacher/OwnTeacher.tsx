import { useShallow } from 'zustand/react/shallow';
import { recordedTeacher, selectImportedChoice, selectOwnTeacher } from '../../state/ownTeacher';
import { selectBusy } from '../../state/selectors';
import type { Studio } from '../../state/store';
import { useHandles, useStudio } from '../context';
import { OwnTeacherCard } from './OwnTeacherCard';
import { distilFromImported, importOwnTeacher } from './ownTeacherActions';

/** The own teacher chosen before a reload and gone with that tab: the name its runs recorded ('' if none did). */
const selectGone = (s: Studio): string | null => {
  const chosen = s.config.importedTeacher;
  if (!chosen || s.ownTeacher.info?.fingerprint === chosen.fingerprint) return null;
  return recordedTeacher(s, chosen.fingerprint)?.imported?.name ?? '';
};
const selectInputs = (s: Studio) => [selectOwnTeacher(s), selectImportedChoice(s), selectBusy(s), selectGone(s)] as const;
const ACCEPT = '.json,.bin,.onnx,.data,.h5,.hdf5,.keras,.pt,.pth,.tflite,.pb';

/** "Your own teacher": pick a TF.js Layers model (files or folder) or an ONNX file; see what it offers. */
export function OwnTeacher() {
  const [own, choice, busy, gone] = useStudio(useShallow(selectInputs));
  const { store, client } = useHandles();
  const pick = (files: FileList | null, input: HTMLInputElement) => {
    if (files && files.length) void importOwnTeacher(store, client, Array.from(files));
    input.value = '';
  };
  const importing = own.status === 'importing';
  return (
    <section aria-labelledby="own-teacher-h" data-testid="own-teacher">
      <h3 id="own-teacher-h">Or your own teacher</h3>
      <p className="hint">The model you run today: a TF.js Layers model (model.json with its .bin shards, as files or the folder) or ONNX (as torch.onnx.export writes it). It stays on this machine.</p>
      <div className="own-row control">
        <label className="field-name" htmlFor="own-teacher-files">Model files</label>
        <input id="own-teacher-files" data-testid="own-teacher-files" type="file" multiple accept={ACCEPT} disabled={busy || importing}
          onChange={(e) => pick(e.target.files, e.target)} />
        <label className="field-name" htmlFor="own-teacher-folder">or a folder</label>
        <input id="own-teacher-folder" type="file" disabled={busy || importing}
          ref={(el) => { if (el) { el.setAttribute('webkitdirectory', ''); el.setAttribute('directory', ''); } }}
          onChange={(e) => pick(e.target.files, e.target)} />
      </div>
      {gone !== null && !importing ? (
        <p className="notice" role="status" data-testid="own-teacher-gone">
          Your own teacher{gone ? ` ${gone}` : ''} was chosen in an earlier visit; an imported model stays only in the tab that imported it.
          Pick its files again to distil from it (the runs it taught stay listed), or{' '}
          <button type="button" className="control" disabled={busy} onClick={() => distilFromImported(store, false)}>stop using it</button>.
        </p>
      ) : null}
      {importing ? <p role="status" data-testid="own-teacher-importing">Checking the model…</p> : null}
      {own.error ? <p className="error-text" role="alert" data-testid="own-teacher-error">{own.error}</p> : null}
      {own.info ? (
        <div className="own-row control" role="radiogroup" aria-label="Teacher to distil from">
          <label><input type="radio" name="teacher-source" checked={!choice} disabled={busy} onChange={() => distilFromImported(store, false)} /> Distil from the shipped teacher</label>
          <label><input type="radio" name="teacher-source" data-testid="use-own-teacher" checked={!!choice} disabled={busy} onChange={() => distilFromImported(store, true)} /> Distil from {own.info.name}</label>
        </div>
      ) : null}
      <OwnTeacherCard />
    </section>
  );
}

import { selectStorage, selectUrlIssues } from '../state/selectors';
import { useHandles, useStudio } from './context';

/** Problems in the page address (bad values were replaced by defaults). */
export function UrlIssues() {
  const issues = useStudio(selectUrlIssues);
  const { store } = useHandles();
  if (issues.length === 0) return null;
  return (
    <div className="notice" role="status" data-testid="url-issues">
      <p>Some settings in the page address were not usable:</p>
      <ul>{issues.map((m) => <li key={m}>{m}</li>)}</ul>
      <button type="button" onClick={() => store.getState().setUi({ urlIssues: [] })}>Dismiss</button>
    </div>
  );
}

/** Autosave state: quiet when it works, a clear message when the browser refuses to store. */
export function StorageNotice() {
  const storage = useStudio(selectStorage);
  if (storage.ok) return null;
  return <div className="notice" role="status" data-testid="storage-notice">{storage.message}</div>;
}

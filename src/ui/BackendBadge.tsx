import { selectBackend } from '../state/selectors';
import { useStudio } from './context';

/** Which TF.js backend trains, on which adapter, and why faster ones were refused. */
export function BackendBadge() {
  const info = useStudio(selectBackend);
  if (!info) return <span className="badge" role="status">Backend: starting…</span>;
  const reasons = info.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('\n');
  return (
    <span className="badge" role="status" aria-label={`Backend ${info.backend}`} title={reasons || 'First choice accepted'}>
      Backend: <strong data-testid="backend-name">{info.backend}</strong>
      {info.adapter ? <> · <span data-testid="backend-adapter">{info.adapter}</span></> : null}
      {info.fallbacks.length > 0 ? <details className="fallbacks"><summary>why not faster?</summary><pre>{reasons}</pre></details> : null}
    </span>
  );
}

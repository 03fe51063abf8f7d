import type { BackendInfo } from '../domain';
import { selectBackend } from '../state/selectors';
import { useStudio } from './context';

/**
 * Which TF.js backend trains, on which adapter, and why: the faster ones refused (with their
 * reasons), and, when 'auto' timed the run's configuration on several backends, each one's
 * samples/s and why the active one was kept.
 */
export function BackendBadge() {
  return <BackendBadgeView info={useStudio(selectBackend)} />;
}

export function BackendBadgeView({ info }: { info: BackendInfo | null }) {
  if (!info) return <span className="badge" role="status">Backend: starting…</span>;
  const reasons = info.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('\n');
  const speed = info.speed;
  const trials = speed ? [...speed.trials].sort((a, b) => b.samplesPerSec - a.samplesPerSec) : [];
  return (
    <span className="badge" role="status" aria-label={`Backend ${info.backend}`} title={[speed?.reason, reasons].filter(Boolean).join('\n') || 'First choice accepted'}>
      Backend: <strong data-testid="backend-name">{info.backend}</strong>
      {info.adapter ? <> · <span data-testid="backend-adapter">{info.adapter}</span></> : null}
      {speed ? (
        <details className="fallbacks" data-testid="backend-speed">
          <summary>chosen by speed: {trials.map((t) => `${t.backend} ${Math.round(t.samplesPerSec)}/s`).join(' vs ')}</summary>
          <p>{speed.reason}.</p>
          <p>Configuration: {speed.shape}.</p>
        </details>
      ) : null}
      {info.fallbacks.length > 0 ? <details className="fallbacks"><summary>why not faster?</summary><pre>{reasons}</pre></details> : null}
    </span>
  );
}

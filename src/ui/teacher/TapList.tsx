import type { TeacherTap } from '../../domain';
import { useHandles } from '../context';
import { chooseTaps } from './ownTeacherActions';

/** The imported teacher's 4-D outputs (name, shape, stride); the checked ones are its taps. */
export function TapList({ taps, chosen, defaults, disabled }: { taps: TeacherTap[]; chosen: string[]; defaults: string[]; disabled: boolean }) {
  const { store } = useHandles();
  if (taps.length === 0) return null;
  const toggle = (name: string, on: boolean) => {
    const next = taps.map((t) => t.name).filter((n) => (n === name ? on : chosen.includes(n)));
    chooseTaps(store, next);
  };
  return (
    <fieldset className="tap-list" data-testid="teacher-taps">
      <legend>Taps (the teacher features the student learns from): {chosen.length} of {taps.length}</legend>
      <table className="small">
        <thead><tr><th>Use</th><th>Output</th><th>Shape (h × w × c)</th><th>Stride</th></tr></thead>
        <tbody>{taps.map((t) => (
          <tr key={t.name} data-testid="teacher-tap">
            <td><input type="checkbox" className="control" aria-label={`Use ${t.name} as a tap`} checked={chosen.includes(t.name)} disabled={disabled}
              onChange={(e) => toggle(t.name, e.target.checked)} /></td>
            <td><code>{t.name}</code>{defaults.includes(t.name) ? <span className="tag">default</span> : null}</td>
            <td>{t.shape.join(' × ')}</td>
            <td>{t.stride}</td>
          </tr>
        ))}</tbody>
      </table>
      <button type="button" className="control" disabled={disabled} onClick={() => chooseTaps(store, defaults)}>Default taps</button>
      <span className="hint"> Default: the last output at each resolution, the stem left out, at most 6. The choice is remembered for this model.</span>
    </fieldset>
  );
}

import type { DatasetPreview } from '../domain';
import { count } from './format';

/** Training images per class as bars: a skewed dataset shows at a glance. */
export function ClassBalance({ preview, classNames }: { preview: DatasetPreview; classNames: string[] }) {
  const max = Math.max(1, ...preview.classCounts);
  const total = preview.classCounts.reduce((a, b) => a + b, 0);
  return (
    <table className="balance" aria-label="Class balance of the training images">
      <thead><tr><th>Class</th><th>Training images</th><th>Share</th></tr></thead>
      <tbody>
        {preview.classCounts.map((n, i) => (
          <tr key={i}>
            <td>{classNames[i]}</td>
            <td><span className="bar" style={{ width: `${(100 * n) / max}%` }} aria-hidden="true" /> {count(n)}</td>
            <td>{((100 * n) / Math.max(1, total)).toFixed(1)}%</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

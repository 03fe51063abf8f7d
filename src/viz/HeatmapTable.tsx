/** The heatmap's numbers as a plain table (for screen readers and for copying). */
export interface HeatmapTableProps {
  attention: ArrayLike<number>;
  S: number;
  teacherTaps: string[];
  studentTaps: string[];
  kept: ArrayLike<number>;
}

export function HeatmapTable({ attention, S, teacherTaps, studentTaps, kept }: HeatmapTableProps) {
  return (
    <details className="viz-table">
      <summary>Show the values as a table</summary>
      <table>
        <caption>Attention of each teacher key (row) over the student taps (columns); each row sums to 1.</caption>
        <thead>
          <tr><th scope="col">Teacher key</th>{studentTaps.map((s) => <th key={s} scope="col">{s}</th>)}</tr>
        </thead>
        <tbody>
          {teacherTaps.map((t, n) => (
            <tr key={t}>
              <th scope="row">{t} {kept[n] === 1 ? '(kept)' : '(dropped)'}</th>
              {studentTaps.map((s, m) => <td key={s}>{attention[n * S + m].toFixed(3)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

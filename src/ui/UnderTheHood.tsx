import { datasetInfo } from '../domain';
import { selectLatestRun } from '../state/selectors';
import type { Studio } from '../state/store';
import { countColours } from './charts/palette';
import { useStudio } from './context';
import { Help } from './Help';
import { pct } from './format';

/** The latest full evaluation of the latest run (the key-statistics samples taken during an epoch left out). */
const selectLatestEval = (s: Studio) => {
  const evals = selectLatestRun(s)?.evals ?? [];
  for (let i = evals.length - 1; i >= 0; i--) if (evals[i].split !== 'sample') return evals[i];
  return null;
};
const selectLatestDataset = (s: Studio) => selectLatestRun(s)?.config.dataset ?? null;

/**
 * Per-class accuracy and the confusion matrix of the latest evaluation of the latest run. It
 * selects the evaluation itself (not the run, which changes with every progress report), so the
 * 10 × 10 table re-renders only when a new evaluation arrives.
 */
export function UnderTheHood() {
  const ev = useStudio(selectLatestEval);
  const dataset = useStudio(selectLatestDataset);
  const names = dataset ? datasetInfo(dataset).classNames : [];
  return (
    <details className="under-hood">
      <summary>Under the hood: per-class accuracy and confusion matrix</summary>
      <Help topic="the confusion matrix">
        <p>Each row is the true class, each column the class the student predicted; the diagonal holds the correct answers. Darker cells hold fewer images, brighter ones more. A bright cell off the diagonal is a pair of classes the student mixes up.</p>
      </Help>
      {!ev ? <p className="hint">No evaluation yet: one appears after the first epoch.</p> : (
        <>
          <p>{ev.split === 'test' ? 'Test' : 'Validation'} images after epoch {ev.epoch + 1}: accuracy {pct(ev.accuracy)}.</p>
          <div className="two-col">
            <table aria-label="Accuracy per class">
              <thead><tr><th>Class</th><th>Accuracy</th></tr></thead>
              <tbody>{ev.perClassAccuracy.map((a, i) => (
                <tr key={i}><td>{names[i]}</td><td><span className="bar" style={{ width: `${a * 100}%` }} aria-hidden="true" /> {pct(a, 1)}</td></tr>
              ))}</tbody>
            </table>
            <ConfusionMatrix confusion={ev.confusion} n={ev.numClasses} names={names} />
          </div>
        </>
      )}
    </details>
  );
}

function ConfusionMatrix({ confusion, n, names }: { confusion: number[]; n: number; names: string[] }) {
  const max = Math.max(1, ...confusion);
  const idx = Array.from({ length: n }, (_, i) => i);
  return (
    <table className="confusion" aria-label="Confusion matrix: rows are true classes, columns predicted classes">
      <thead><tr><th scope="col">true \ predicted</th>{idx.map((j) => <th key={j} scope="col">{names[j]}</th>)}</tr></thead>
      <tbody>{idx.map((i) => (
        <tr key={i}><th scope="row">{names[i]}</th>{idx.map((j) => {
          const v = confusion[i * n + j];
          return <td key={j} style={countColours(v / max)}>{v}</td>;
        })}</tr>
      ))}</tbody>
    </table>
  );
}

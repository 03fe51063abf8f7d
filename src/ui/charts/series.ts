/** Chart series of run records: loss terms and accuracies over epochs, colour = method, dash = term. */
import { METHODS } from '../../domain';
import type { RunRecord } from '../../state/store';
import type { Series } from './LineChart';
import { DASHES, METHOD_COLOURS } from './palette';

const TERMS = [['total', 'total loss'], ['ce', 'label loss'], ['kd', 'KD term'], ['feat', 'feature term']] as const;

const runLabel = (r: RunRecord, many: boolean) => `${METHODS[r.method].label}${many ? ` (seed ${r.config.seed})` : ''}`;
const perEpoch = (r: RunRecord) => r.progress?.stepsPerEpoch || 1;

/** Loss terms of each run over epochs; terms that stay 0 (unused by the method) are left out. */
export function lossSeries(runs: RunRecord[]): Series[] {
  const many = new Set(runs.map((r) => r.method)).size < runs.length;
  return runs.flatMap((r) => TERMS
    .filter(([term]) => r.curve.some((p) => p[term] !== 0))
    .map(([term, name]) => ({
      id: `${r.runId}-${term}`, label: `${runLabel(r, many)}: ${name}`, colour: METHOD_COLOURS[r.method], dash: DASHES[term],
      points: r.curve.map((p) => ({ x: p.step / perEpoch(r), y: p[term] })),
    })));
}

/** Training-batch accuracy (dotted) and validation accuracy after each epoch (solid, with markers). */
export function accuracySeries(runs: RunRecord[]): Series[] {
  const many = new Set(runs.map((r) => r.method)).size < runs.length;
  return runs.flatMap((r) => {
    const val = new Map<number, number>();
    for (const e of r.evals) if (e.split === 'val') val.set(e.epoch, e.accuracy);
    return [
      { id: `${r.runId}-train`, label: `${runLabel(r, many)}: training batches`, colour: METHOD_COLOURS[r.method], dash: DASHES.train,
        points: r.curve.map((p) => ({ x: p.step / perEpoch(r), y: p.trainAccuracy })) },
      { id: `${r.runId}-val`, label: `${runLabel(r, many)}: validation`, colour: METHOD_COLOURS[r.method], dash: DASHES.val, markers: true,
        points: [...val.entries()].sort((a, b) => a[0] - b[0]).map(([epoch, acc]) => ({ x: epoch + 1, y: acc })) },
    ];
  });
}

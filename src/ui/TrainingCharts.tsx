import { useDeferredDrawn } from './pageHold';
import { useShallow } from 'zustand/react/shallow';
import { runsInView } from '../state/selectors';
import type { Studio } from '../state/store';
import { LineChart } from './charts/LineChart';
import { accuracySeries, lossSeries } from './charts/series';
import { useHandles, useStudio } from './context';
import { Help } from './Help';

const selectRunsInView = (s: Studio) => runsInView(s.runs, s.runOrder, s.viewRunIds);
const selectViewing = (s: Studio) => s.viewRunIds !== null;

/** Live loss and accuracy curves, the baseline and the distilled runs overlaid. */
export function TrainingCharts() {
  // Deferred: progress reports redraw the curves in a render React can split and interrupt, so
  // the redraws never block input or become long tasks.
  const runs = useDeferredDrawn(useStudio(useShallow(selectRunsInView)));
  const viewing = useStudio(selectViewing);
  const { store } = useHandles();
  if (runs.length === 0) return null;
  return (
    <div className="charts">
      <div className="chart-head">
        <h3>Curves {viewing ? '(reopened runs)' : '(latest run of each method)'}</h3>
        <Help topic="the training curves">
          <p>Colour is the method (orange = student alone, the baseline; blue = RTK, and so on). Line style is what is measured: solid = total loss or validation accuracy, dashed = label loss, dotted = training batches. Loss should fall; validation accuracy, measured on held-out training images after each epoch, should rise. A distilled run above the baseline is learning something from the teacher.</p>
        </Help>
        {viewing ? <button type="button" onClick={() => store.getState().setUi({ viewRunIds: null })}>Show latest runs</button> : null}
      </div>
      <div className="two-col">
        <LineChart title="Loss" series={lossSeries(runs)} xLabel="epochs" yLabel="loss" />
        <LineChart title="Accuracy" series={accuracySeries(runs)} xLabel="epochs" yLabel="accuracy" yDomain={[0, 1]} formatY={(v) => `${Math.round(v * 100)}%`} />
      </div>
    </div>
  );
}

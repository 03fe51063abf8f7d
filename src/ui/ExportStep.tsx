import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DeployVariant } from '../domain';
import { METHODS } from '../domain';
import { ClusterExport } from './ClusterExport';
import { DeployVariants } from './DeployVariants';
import { savedWeights } from './savedRun';
import { selectFinishedRuns } from '../state/selectors';
import type { Studio } from '../state/store';
import { selectCardTeacher } from '../state/ownTeacher';
import { useHandles, useStudio } from './context';
import { distillationCard, download, renameWeights, reportMarkdown, runSlug, studentFileNames } from './exporters';
import { Field } from './fields';
import { ModelCheck } from './ModelCheck';
import { pilotCardModel } from './pilotCardModel';
import { Step } from './Step';

const selectExportInputs = (s: Studio) => [s.config, selectCardTeacher(s), s.costs, s.backend] as const;

/** Step 6: the student as TF.js files, the distillation card, the report, and the link to all of it. */
export function ExportStep() {
  const [config, teacher, costs, backend] = useStudio(useShallow(selectExportInputs));
  const finished = useStudio(useShallow(selectFinishedRuns));
  const { client } = useHandles();
  const [note, setNote] = useState('');
  const [probabilities, setProbabilities] = useState(false);
  const [variants, setVariants] = useState<DeployVariant[] | null>(null);
  // This browser's runs only: an imported job's weights are in its own folder, not in this tab.
  const mine = finished.filter((r) => !r.origin).reverse();
  const run = mine.find((r) => r.method === config.method) ?? mine.find((r) => r.method === 'student-alone') ?? null;
  const model = useMemo(() => pilotCardModel(config, finished, teacher, costs), [config, finished, teacher, costs]);
  const link = typeof window === 'undefined' ? '' : window.location.href;
  const exportModel = async () => {
    if (!run) return;
    setNote('Exporting…');
    try {
      // A run reopened after a reload is exported from its last saved checkpoint.
      const files = await client.exportStudent(run.runId, await savedWeights(run), probabilities);
      const names = studentFileNames(run);
      download(names.modelJson, JSON.stringify(renameWeights(files.modelJson, names.weights)), 'application/json');
      download(names.weights, files.weights, 'application/octet-stream');
      setNote(`Saved ${names.modelJson} and ${names.weights}: tf.loadLayersModel("…/${names.modelJson}").predict(x) returns the ${probabilities ? 'class probabilities' : 'logits'} [batch, classes]; x is pixels / 255 (NHWC), see its metadata.`);
    } catch (err) {
      setNote(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return (
    <Step n={6} id="step-export" title="Export and share" needs="a finished run" produces="the student model, a distillation card, a report and a link"
      help={<p>The model files work in any TF.js app. The distillation card records the teacher, method, options, kept keys, seeds, metrics and backend as JSON for operations. The page address holds the whole configuration: share it and the other person gets the same settings.</p>}>
      {run ? (
        <>
          <p>From the latest finished run: <strong>{METHODS[run.method].label}</strong>, seed {run.config.seed}.</p>
          <div className="controls control">
            <label>Model output{' '}
              <select value={probabilities ? 'probabilities' : 'logits'} onChange={(e) => { setProbabilities(e.target.value === 'probabilities'); setVariants(null); }}>
                <option value="logits">logits</option><option value="probabilities">probabilities (softmax)</option>
              </select>
            </label>
            <button type="button" onClick={() => { void exportModel(); }}>Download student model</button>
            <button type="button" onClick={() => download(`distillation-card-${runSlug(run)}.json`, JSON.stringify(distillationCard(run, model, teacher, backend, { probabilities, variants }, finished), null, 2), 'application/json')}>Download distillation card</button>
            <button type="button" onClick={() => download(`pilot-report-${runSlug(run)}.md`, reportMarkdown(run, model, backend, link, finished), 'text/markdown')}>Download report (Markdown)</button>
            <button type="button" onClick={() => window.print()}>Print report</button>
          </div>
          {run.restored ? <p className="hint">This run was reopened from storage: the model is exported from its last saved checkpoint.</p> : null}
          {note ? <p role="status" data-testid="export-note">{note}</p> : null}
          <DeployVariants run={run} probabilities={probabilities} onMeasured={setVariants} />
          <ModelCheck run={run} />
          <ClusterExport run={run} />
        </>
      ) : <p className="hint">Finish a run to export its student.</p>}
      <div className="share control">
        <Field label="Link to this configuration" explain="Anyone opening it gets the same settings.">
          {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} type="text" readOnly value={link} onFocus={(e) => e.target.select()} />}
        </Field>
        <button type="button" onClick={() => { void navigator.clipboard?.writeText(window.location.href).then(() => setNote('Link copied.'), () => setNote('Copy the link from the field above.')); }}>Copy link</button>
        <a href={`${window.location.pathname}${window.location.search}${window.location.search ? '&' : '?'}presenter=1`}>Open presenter view</a>
      </div>
    </Step>
  );
}

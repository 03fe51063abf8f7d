import { useState, type ChangeEvent } from 'react';
import type { ModelFiles } from '../domain';
import type { RunRecord } from '../state/store';
import { useHandles } from './context';
import { Field } from './fields';
import { pct } from './format';

type Check = { status: 'idle' } | { status: 'busy' } | { status: 'ok'; accuracy: number } | { status: 'error'; message: string };

async function readFiles(list: FileList): Promise<ModelFiles> {
  const files = [...list];
  const json = files.find((f) => f.name.endsWith('.json'));
  const bin = files.find((f) => f.name.endsWith('.bin'));
  if (!json || !bin) throw new Error('Choose both files of the model: model.json and weights.bin.');
  return { modelJson: JSON.parse(await json.text()) as Record<string, unknown>, weights: await bin.arrayBuffer() };
}

/** Loads an exported model back (tf.loadLayersModel in the worker) and measures its test accuracy. */
export function ModelCheck({ run }: { run: RunRecord }) {
  const { client } = useHandles();
  const [check, setCheck] = useState<Check>({ status: 'idle' });
  const onFiles = async (e: ChangeEvent<HTMLInputElement>) => {
    if (!e.target.files?.length) return;
    setCheck({ status: 'busy' });
    try {
      const files = await readFiles(e.target.files);
      setCheck({ status: 'ok', accuracy: await client.evaluateModel(files, run.config) });
    } catch (err) {
      setCheck({ status: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };
  const expected = run.result?.testAccuracy;
  return (
    <div className="control model-check">
      <Field label="Check an exported model (model.json and weights.bin)" explain="Loads the files as any TF.js app would and measures accuracy on the same test images.">
        {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} type="file" multiple accept=".json,.bin" onChange={(e) => { void onFiles(e); }} />}
      </Field>
      <p role="status" data-testid="model-check" data-accuracy={check.status === 'ok' ? String(check.accuracy) : undefined}>
        {check.status === 'busy' ? 'Loading and testing the model…' : null}
        {check.status === 'error' ? `The model could not be checked: ${check.message}` : null}
        {check.status === 'ok'
          ? `Loaded model: test accuracy ${pct(check.accuracy)}${expected !== undefined ? (check.accuracy === expected ? ' — the same as the run.' : ` — the run had ${pct(expected)}.`) : '.'}`
          : null}
      </p>
    </div>
  );
}

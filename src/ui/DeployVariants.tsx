import { zipSync } from 'fflate';
import { useState } from 'react';
import type { DeployVariant } from '../domain';
import type { RunRecord } from '../state/store';
import { useHandles } from './context';
import { download } from './exporters';
import { bytes, pct } from './format';
import { savedWeights } from './savedRun';

const enc = new TextEncoder();

function downloadVariant(v: DeployVariant, runId: string): void {
  const zip = zipSync({ 'model.json': enc.encode(JSON.stringify(v.files.modelJson)), 'weights.bin': new Uint8Array(v.files.weights) });
  download(`student-${v.weights}-${runId}.zip`, zip.slice().buffer, 'application/zip');
}

/** float32 / float16 / int8 inference models, each scored on the test set after quantisation. */
export function DeployVariants({ run, probabilities, onMeasured }: { run: RunRecord; probabilities: boolean; onMeasured: (v: DeployVariant[]) => void }) {
  const { client } = useHandles();
  const [variants, setVariants] = useState<DeployVariant[] | null>(null);
  const [note, setNote] = useState('');
  const measure = async () => {
    setNote('Quantising and scoring each variant on the test set…');
    try {
      const v = await client.deployVariants(run.runId, await savedWeights(run), probabilities);
      setVariants(v);
      onMeasured(v);
      setNote('');
    } catch (err) {
      setNote(`Measuring the variants failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const base = variants?.[0].testAccuracy ?? 0;
  return (
    <div className="control">
      <button type="button" onClick={() => { void measure(); }}>Measure float16 and int8 variants</button>
      {note ? <p role="status">{note}</p> : null}
      {variants ? (
        <table data-testid="deploy-variants">
          <thead><tr><th>Weights</th><th>Weight file</th><th>Test accuracy (after quantisation)</th><th>Download</th></tr></thead>
          <tbody>{variants.map((v) => (
            <tr key={v.weights} data-testid={`variant-${v.weights}`} data-accuracy={v.testAccuracy}>
              <th scope="row">{v.weights}</th>
              <td>{bytes(v.weightBytes)}</td>
              <td>{pct(v.testAccuracy)}{v.weights === 'float32' ? '' : ` (${((v.testAccuracy - base) * 100).toFixed(2)} points vs float32)`}</td>
              <td><button type="button" onClick={() => downloadVariant(v, run.runId)}>{`Download ${v.weights} (zip)`}</button></td>
            </tr>
          ))}</tbody>
        </table>
      ) : null}
    </div>
  );
}

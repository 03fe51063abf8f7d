import { zipSync } from 'fflate';
import { useState } from 'react';
import type { RunRecord } from '../state/store';
import { useHandles } from './context';
import { download } from './exporters';

/** "Export for a cluster": the run's experiment as a PyTorch DDP job (a zip of one folder). */
export function ClusterExport({ run }: { run: RunRecord }) {
  const { client } = useHandles();
  const [note, setNote] = useState('');
  const go = async () => {
    setNote('Building the job: the teacher’s weights, the student’s initial weights and golden.json from one batch…');
    try {
      const files = await client.exportJob(run.config);
      const zip = zipSync(Object.fromEntries(Object.entries(files).map(([p, b]) => [`rtk-pytorch-job/${p}`, b])));
      const name = `rtk-pytorch-job-${run.runId}.zip`;
      download(name, zip.slice().buffer, 'application/zip');
      setNote(`Saved ${name} (${Object.keys(files).length} files). Unzip it, then: python3 test_parity.py, and torchrun --standalone --nproc_per_node=N train.py --config config.json --data-root PATH/TO/public/datasets (see its README.md).`);
    } catch (err) {
      setNote(`Export for a cluster failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return (
    <div className="control">
      <button type="button" onClick={() => { void go(); }}>Export for a cluster</button>
      <span className="hint"> The same experiment as a PyTorch DistributedDataParallel job (torchrun; gloo on CPUs, NCCL on GPUs), with a “full run” preset (240 epochs, the AFD paper’s SGD recipe).</span>
      {note ? <p role="status" data-testid="cluster-note">{note}</p> : null}
    </div>
  );
}

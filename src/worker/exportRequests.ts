/**
 * The export targets the worker runs for a finished run: the one-output inference model (and its
 * float16 / int8 variants, each scored after quantisation) and the PyTorch DDP job folder.
 */
import type { DeployVariant, ModelFiles, TrainConfig } from '../domain';
import { inferenceFiles, quantiseFiles, WEIGHT_KINDS } from '../ml/export/inference';
import { buildPytorchJob } from '../ml/export/pytorchJob';
import { tappedFromLayersModel } from '../ml/models';
import type { Dataset } from '../ml/types';
import type { TrainerEnv } from './trainer';
import { evaluateFiles, restoreStudent, type FinishedRun } from './requests';

/** The job's sources, loaded only when a job is exported (they stay out of the worker's first chunk). */
const SOURCES = import.meta.glob(['/pytorch-job/**/*.py', '/pytorch-job/README.md', '!/pytorch-job/tests/**'], { query: '?raw', import: 'default' });

export async function exportInference(run: FinishedRun, probabilities: boolean): Promise<ModelFiles> {
  const tm = restoreStudent(run);
  try {
    return await inferenceFiles(tm, run.config.dataset, run.config.student, probabilities);
  } finally {
    tm.model.dispose();
  }
}

export async function deployVariants(run: FinishedRun, probabilities: boolean, ds: Dataset): Promise<DeployVariant[]> {
  const base = await exportInference(run, probabilities);
  const out: DeployVariant[] = [];
  for (const weights of WEIGHT_KINDS) {
    const files = quantiseFiles(base, weights);
    // Measured on the files as a user loads them: tf.loadLayersModel dequantises the weights.
    out.push({ weights, files, weightBytes: files.weights.byteLength, testAccuracy: await evaluateFiles(files, run.config, ds) });
  }
  return out;
}

export async function exportJob(config: TrainConfig, env: TrainerEnv): Promise<Record<string, Uint8Array>> {
  const ds = await env.loadData(config, () => undefined);
  const loaded = await env.loadTeacher(config, ds);
  if (!loaded) throw new Error(`The PyTorch job needs the teacher of ${config.dataset}; none could be loaded.`);
  if (!loaded.model) {
    throw new Error('This teacher cannot be exported to PyTorch yet: it runs in onnxruntime (an imported ONNX model), and the job rebuilds only TF.js Layers teachers of the studio\'s own architectures. Use the shipped teacher, or one trained here.');
  }
  const teacher = tappedFromLayersModel(loaded.model, config.teacher);
  const sources: Record<string, string> = {};
  for (const [p, load] of Object.entries(SOURCES)) sources[p.replace(/^\/pytorch-job\//, '')] = (await load()) as string;
  if (!sources['train.py']) throw new Error('The PyTorch job sources are missing from this build (pytorch-job/train.py).');
  return buildPytorchJob({ config, ds, teacher, sources, dataRoot: 'datasets' });
}

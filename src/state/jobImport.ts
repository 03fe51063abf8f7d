/**
 * "Import a finished job": the distillation card a PyTorch job writes (pytorch-job/rtk_job/
 * bringback.py) becomes a finished run record, labelled with where it ran, so the pilot card
 * and the key explorer show it beside the browser's runs. Validation names the file and the fix.
 */
import type { EvalReport, MethodId, RunResult, TrainConfig } from '../domain';
import { DATASETS, DEFAULT_CONFIG, METHODS } from '../domain';
import type { RunRecord } from './store';

interface JobCard {
  kind?: string; ranOn?: { label?: string; where?: string; processes?: number }; dataset?: string; method?: string;
  run?: { runId?: string; seed?: number; testAccuracy?: number };
  evals?: EvalReport[]; result?: RunResult; config?: TrainConfig | null; student?: TrainConfig['student'];
  budget?: { epochs?: number; batchSize?: number; trainLimit?: number; testLimit?: number; valFraction?: number };
}

const FIX = 'Choose the distillation-card.json that the exported job (train.py) wrote into its output folder.';

export function runFromJobCard(fileName: string, text: string): RunRecord {
  let card: JobCard;
  try {
    card = JSON.parse(text) as JobCard;
  } catch {
    throw new Error(`${fileName}: not JSON. ${FIX}`);
  }
  if (card.kind !== 'rtk-distillation-card') throw new Error(`${fileName}: not a distillation card. ${FIX}`);
  if (!card.ranOn?.label || card.ranOn.where === 'browser') throw new Error(`${fileName}: this card is from a browser run, not from a job (it has no "ranOn"). ${FIX}`);
  if (!card.method || !(card.method in METHODS)) throw new Error(`${fileName}: unknown method "${card.method}". ${FIX}`);
  if (!card.dataset || !(card.dataset in DATASETS)) throw new Error(`${fileName}: unknown dataset "${card.dataset}". ${FIX}`);
  const result = card.result;
  if (!result || typeof result.testAccuracy !== 'number' || !result.test || !Array.isArray(card.evals)) {
    throw new Error(`${fileName}: it has no finished result (the job may have stopped early). ${FIX}`);
  }
  const base = card.config ?? { ...DEFAULT_CONFIG, dataset: card.dataset as TrainConfig['dataset'], method: card.method as MethodId };
  const b = card.budget ?? {};
  const config: TrainConfig = {
    ...base, method: card.method as MethodId, student: card.student ?? base.student, seed: card.run?.seed ?? base.seed,
    epochs: b.epochs ?? base.epochs, batchSize: b.batchSize ?? base.batchSize, trainLimit: b.trainLimit ?? base.trainLimit,
    testLimit: b.testLimit ?? base.testLimit, valFraction: b.valFraction ?? base.valFraction,
  };
  return {
    runId: card.run?.runId ?? `job-${card.dataset}-${card.method}`, method: config.method, config, state: 'done',
    message: `Imported: ran as ${card.ranOn.label}`, progress: null, evals: card.evals, result,
    error: null, curve: [], restored: false, origin: card.ranOn.label,
  };
}

/**
 * Reading a distillation card for the PyTorch export: the card's pilot configuration as a
 * TrainConfig, with errors that name the file and the fix. Also the job's sources on disk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DatasetId, MethodId, TrainConfig } from '../../src/domain';
import { ARCHS, DATASETS, DEFAULT_CONFIG, METHODS } from '../../src/domain';

interface Card {
  kind?: string; dataset?: string; method?: string; student?: { arch?: string; width?: number; depth?: number };
  options?: Partial<TrainConfig['options']>; budget?: Partial<TrainConfig>; run?: { seed?: number };
  teacher?: { spec?: { arch: string; width: number; depth: number }; source?: string } | null;
}

export function configFromCard(file: string): TrainConfig {
  let card: Card;
  try {
    card = JSON.parse(readFileSync(file, 'utf8')) as Card;
  } catch (err) {
    throw new Error(`${file}: cannot read it as JSON (${err instanceof Error ? err.message : String(err)}). Pass the distillation card the studio's Export step downloads.`);
  }
  const bad = (what: string) => new Error(`${file}: ${what}. Pass the distillation card the studio's Export step downloads ("Download distillation card").`);
  if (card.kind !== 'rtk-distillation-card') throw bad('it is not a distillation card (kind is not "rtk-distillation-card")');
  if (!card.dataset || !(card.dataset in DATASETS) || !DATASETS[card.dataset as keyof typeof DATASETS].builtIn) {
    throw bad(`dataset "${card.dataset}" is not a built-in dataset (${Object.values(DATASETS).filter((d) => d.builtIn).map((d) => d.id).join(', ')}); an own dataset needs the ImageFolder route (README)`);
  }
  if (!card.method || !(card.method in METHODS)) throw bad(`method "${card.method}" is not one of ${Object.keys(METHODS).join(', ')}`);
  const s = card.student;
  if (!s?.arch || !(s.arch in ARCHS) || !Number.isInteger(s.width) || !Number.isInteger(s.depth)) throw bad('its "student" needs arch, width and depth');
  if (card.teacher?.source && card.teacher.source !== 'shipped') {
    throw new Error(`${file}: its teacher came from "${card.teacher.source}", which the PyTorch export cannot rebuild yet; export a pilot that uses the shipped teacher.`);
  }
  const b = card.budget ?? {};
  const o = card.options ?? {};
  return {
    ...DEFAULT_CONFIG,
    dataset: card.dataset as DatasetId, method: card.method as MethodId,
    student: { arch: s.arch as TrainConfig['student']['arch'], width: s.width!, depth: s.depth! },
    teacher: card.teacher?.spec ? { ...card.teacher.spec, arch: card.teacher.spec.arch as TrainConfig['teacher']['arch'] } : DEFAULT_CONFIG.teacher,
    options: {
      kd: { ...DEFAULT_CONFIG.options.kd, ...o.kd }, at: { ...DEFAULT_CONFIG.options.at, ...o.at },
      afd: { ...DEFAULT_CONFIG.options.afd, ...o.afd }, rtk: { ...DEFAULT_CONFIG.options.rtk, ...o.rtk },
    },
    epochs: b.epochs ?? DEFAULT_CONFIG.epochs, batchSize: b.batchSize ?? DEFAULT_CONFIG.batchSize,
    learningRate: b.learningRate ?? DEFAULT_CONFIG.learningRate, lrSchedule: b.lrSchedule ?? DEFAULT_CONFIG.lrSchedule,
    trainLimit: b.trainLimit ?? DEFAULT_CONFIG.trainLimit, testLimit: b.testLimit ?? DEFAULT_CONFIG.testLimit,
    valFraction: b.valFraction ?? DEFAULT_CONFIG.valFraction, seed: card.run?.seed ?? DEFAULT_CONFIG.seed,
  };
}

/** pytorch-job/ as path → text (Python sources and the README), without caches or runs. */
export function jobSources(root = path.resolve('pytorch-job')): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) { if (name !== '__pycache__' && name !== 'runs' && name !== 'tests') walk(p); continue; }
      if (name.endsWith('.py') || name === 'README.md') out[path.relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

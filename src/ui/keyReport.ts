/**
 * The key selection in the exports: the distillation card's `keySelection` (the evidence over the
 * run's seeds) and the report's table with the bias check, in the explorer's words.
 */
import type { ImportanceRule } from '../domain';
import { biasCheck, datasetInfo, influenceDigits, shownSelection } from '../domain';
import { keySelectionEvidence, type KeySelectionEvidence } from '../state/keySelection';
import type { RunRecord } from '../state/store';

const RULE_WORDS: Record<ImportanceRule, string> = { keys: 'keys compete (each student tap shares its attention among the keys)', afd: 'AFD’s own attention (each key over the student taps)' };

/** The card's `keySelection`: { importance, k, tau, seeds, keys: [{ name, influence, influenceSd, kept, keptShare }] }. */
export function cardKeySelection(run: RunRecord, runs: RunRecord[]) {
  const ev = keySelectionEvidence(run, runs);
  if (!ev) return null;
  return {
    importance: ev.importance, k: ev.k, tau: round(ev.tau), threshold: ev.threshold, seeds: ev.seeds, spreadOver: ev.spreadOver,
    keys: ev.keys.map((x) => ({ name: x.name, influence: round(x.influence), influenceSd: round(x.influenceSd), kept: x.kept, keptShare: round(x.keptShare) })),
  };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** The bias check of the run's final test evaluation with the rule, k and threshold it trained with, in one sentence. */
export function biasSentence(run: RunRecord, ev: KeySelectionEvidence): string {
  const keys = run.result?.test.keys;
  if (!keys?.classCount) return 'Bias check: not available for this run (its evaluation predates image counts per class).';
  const perClass = ev.importance === 'keys' ? keys.competitionPerClass : keys.attentionPerClass;
  if (!perClass) return 'Bias check: not available for this rule.';
  const own = shownSelection(keys, ev.importance, ev.k, ev.threshold)?.kept ?? keys.kept;
  const rows = biasCheck({ T: keys.T, S: keys.S, k: ev.k, threshold: ev.threshold, perClass, classCount: keys.classCount, overallKept: own,
    nullMeans: keys.classNull?.[ev.importance], R: keys.classNull?.R ?? 0 });
  const names = datasetInfo(run.config.dataset).classNames;
  const flagged = rows.filter((r) => r.verdict === 'flagged').map((r) => names[r.cls] ?? `class ${r.cls}`);
  const few = rows.filter((r) => r.verdict === 'too-few').map((r) => names[r.cls] ?? `class ${r.cls}`);
  const imgs = rows.map((r) => r.images);
  const base = flagged.length
    ? `Bias check: ${flagged.join(', ')} ${flagged.length === 1 ? 'keeps' : 'keep'} sharply different teacher keys, more than random image sets of the same size and far more than the other classes: check those images.`
    : 'Bias check: no class stands out: none keeps teacher keys that differ from the overall selection by more than chance and the ordinary differences between classes explain.';
  return `${base} Per class it rests on ${Math.min(...imgs)}–${Math.max(...imgs)} test images (${keys.classNull?.R ?? 0} random sets per class).` +
    (few.length ? ` Too few images to tell for ${few.join(', ')}.` : '');
}

/** The report's "Kept keys" section. */
export function keySelectionMarkdown(run: RunRecord, runs: RunRecord[]): string[] {
  const ev = keySelectionEvidence(run, runs);
  if (!ev) return [];
  const d = influenceDigits(ev.keys.map((x) => x.influence), ev.keys.map((x) => (x.kept === true ? 1 : 0)));
  const n = ev.seeds.length;
  return [
    '## Kept keys',
    '',
    `Importance: ${RULE_WORDS[ev.importance]}; k = ${ev.k}; threshold: ${ev.threshold === 'mean' ? 'the mean influence' : 'fixed'} (τ = ${ev.tau.toFixed(d)}); ` +
      `${n === 1 ? `one seed (${ev.seeds[0]}), spread over groups of test images` : `seeds ${ev.seeds.join(', ')}, spread over seeds`}.`,
    '',
    '| Teacher key | Influence (mean ± sd) | Kept by | Selection |',
    '|---|---|---|---|',
    ...ev.keys.map((x) => `| ${x.name} | ${x.influence.toFixed(d)} ± ${x.influenceSd.toFixed(d)} | ${Math.round(x.keptShare * n)} of ${n} ${n === 1 ? 'seed' : 'seeds'} | ` +
      `${x.kept === 'undecided' ? 'undecided (within its spread of τ)' : x.kept ? 'kept' : 'dropped'} |`),
    '',
    biasSentence(run, ev),
    '',
  ];
}

/** Plain-words explanations behind each chart's "?" button, in the glossary's terms. */
import { GLOSSARY } from '../../domain';

export interface HelpText { text: string; terms: string[] }

export const HELP: Record<'network' | 'timeline' | 'heatmap' | 'heatmapKeys' | 'bars' | 'controls' | 'importance' | 'classes' | 'seeds' | 'energy', HelpText> = {
  network: {
    text: 'The teacher’s blocks (top) and the student’s blocks (bottom), each drawn as large as its feature map: wider for more ' +
      'channels, taller for more positions; the thin bar under a label is its cost. Each teacher tap is a key: a line links it to ' +
      'every student tap, as wide as the share of the key’s attention that goes there. The bar above a key is its influence; ' +
      'keys above the threshold line are kept and distilled (strong colour), the others are dropped (faded, hatched).',
    terms: ['teacher', 'student', 'tap', 'key', 'influence', 'threshold', 'kept keys'],
  },
  timeline: {
    text: 'One column per evaluation of the run, one row per key: a filled cell means the key was kept at that evaluation, with the ' +
      'current k and threshold. Pick a column or move the slider to show that evaluation in every chart of the explorer.',
    terms: ['key', 'kept keys'],
  },
  heatmap: {
    text: 'Each row is one teacher tap (a key); each column is one student tap. A cell shows how much of that key’s attention ' +
      'goes to that student tap, averaged over the evaluation images: each row adds up to 1. Lighter means more attention. ' +
      'Rows outlined and tagged "kept" are the kept keys for the current k and threshold.',
    terms: ['teacher', 'student', 'tap', 'key', 'kept keys'],
  },
  heatmapKeys: {
    text: 'Each column is one student tap; it shares its attention among the teacher taps (the keys), so each column adds up to 1. ' +
      'A light cell means that student tap picks that key over the other keys. A key no student tap picks has a dark row. ' +
      'Rows outlined and tagged "kept" are the kept keys for the current k and threshold.',
    terms: ['teacher', 'student', 'tap', 'key', 'kept keys'],
  },
  bars: {
    text: 'A key’s influence is the mean of its k largest values in the heatmap row. The dashed line is the threshold: keys whose ' +
      'influence is above it are kept (solid bars) and distilled; the others are dropped (hatched bars) and not distilled. The thin ' +
      'line across a bar is the influence’s spread over groups of evaluation images; a key whose spread reaches the threshold is ' +
      '“undecided”: another sample of images could put it on the other side.',
    terms: ['influence', 'threshold', 'kept keys'],
  },
  importance: {
    text: 'How a key’s influence is measured. “Keys compete” (the default): each student tap shares its attention among all teacher ' +
      'keys, so a key scores high only when student taps pick it over the others. “AFD’s own attention”: each key spreads its own ' +
      'attention over the student taps; when that attention is concentrated on one tap (common), every key scores the same and ' +
      'the selection is decided by rounding noise.',
    terms: ['key', 'influence', 'kept keys'],
  },
  seeds: {
    text: 'The same experiment trained again with other random seeds (Run 3 seeds in the pilot card). For each key: how many of ' +
      'those runs kept it with the current settings, and its influence as the mean over the runs with their spread. A key kept by ' +
      'some seeds and not others is not a finding yet.',
    terms: ['key', 'influence', 'kept keys'],
  },
  controls: {
    text: 'Change k and the threshold to see which keys RTK would keep. This recomputes the selection from the stored attention ' +
      'instantly; it does not retrain the student. The run itself trained with the k and threshold shown in its set-up. The fixed ' +
      'threshold’s track runs from just below the smallest influence (every key kept) to the largest (only the most influential ' +
      'kept); each tick under it is one key, and the arrow keys step from one key’s place to the next, so each key leaves in turn.',
    terms: ['influence', 'threshold', 'kept keys'],
  },
  classes: {
    text: 'The same selection, computed from the images of each class alone. A check mark means the key is kept for that class. ' +
      'Small classes differ by chance, so each class is compared with random sets of as many evaluation images: only a class ' +
      'whose keys differ sharply and more than nearly all of those random sets is flagged. A flag means the teacher relies on ' +
      'different features for it: worth checking that class’s images for a shortcut (a watermark, a background), bias or mislabelling.',
    terms: ['key', 'kept keys'],
  },
  energy: {
    text: 'Where in the image each tap responds: the energy (mean of the squared feature values) at each position, shown as a share ' +
      'of that map’s peak (lighter = stronger). Kept teacher keys are shown next to every student tap, for a few test images.',
    terms: ['teacher', 'student', 'tap', 'kept keys'],
  },
};

export function glossaryLines(terms: string[]): { term: string; meaning: string }[] {
  return terms.map((term) => ({ term, meaning: GLOSSARY[term] ?? '' }));
}

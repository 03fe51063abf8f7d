/**
 * Deep links: `#explorer`, `#card`, `#network` and each step's id (`#step-dataset` … or the
 * short names `#dataset`, `#teacher`, `#student`, `#training`, `#export`). The page is drawn
 * after load, so the browser's own jump to the fragment finds nothing: this opens a folded
 * step and scrolls to the target once it exists, on load and on every hash change.
 */
const ALIASES: Record<string, string> = {
  card: 'step-card', dataset: 'step-dataset', teacher: 'step-teacher', student: 'step-student', method: 'step-student',
  training: 'step-train', train: 'step-train', export: 'step-export',
};

/** The element id a fragment points at ('' for none). */
export function targetOf(hash: string): string {
  const h = decodeURIComponent(hash.replace(/^#/, ''));
  return ALIASES[h] ?? h;
}

/** The step that holds an id (the network view lives in the explorer). */
export function sectionOf(id: string): string {
  return id === 'network' ? 'explorer' : id;
}

export function startDeepLinks(openStep: (id: string) => void): () => void {
  let tries = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const go = () => {
    const id = targetOf(window.location.hash);
    if (!id || id === 'main') return;
    openStep(sectionOf(id));
    const jump = () => {
      timer = null;
      const el = document.getElementById(id) ?? document.getElementById(sectionOf(id));
      if (el) el.scrollIntoView({ block: 'start' });
      // Panels above it may still be growing (previews, cards): jump again while the page settles.
      if (++tries < 6) timer = setTimeout(jump, el ? 400 : 200);
    };
    tries = 0;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(jump, 0);
  };
  // The user scrolls or types: stop jumping.
  const settle = () => { tries = 99; };
  window.addEventListener('hashchange', go);
  for (const ev of ['wheel', 'touchstart', 'keydown', 'mousedown'] as const) window.addEventListener(ev, settle, { passive: true });
  go();
  return () => {
    window.removeEventListener('hashchange', go);
    for (const ev of ['wheel', 'touchstart', 'keydown', 'mousedown'] as const) window.removeEventListener(ev, settle);
    if (timer !== null) clearTimeout(timer);
  };
}

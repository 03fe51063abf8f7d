/**
 * The page: header, the sticky pilot bar, the rail of steps and the main column. Before any
 * attention run the setup steps come first; once there is one, the page leads with the key
 * explorer (network view first) and the pilot card, and the setup steps below fold to one line.
 * Presenter mode (`?presenter=1`) always leads with the network view, full screen, in large type.
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import { useDeferredDrawn } from '../ui/pageHold';
import { selectPresenter } from '../state/selectors';
import { useStudio } from '../ui/context';
import { DatasetStep } from '../ui/DatasetStep';
import { ErrorBanner } from '../ui/ErrorBanner';
import { ExportStep } from '../ui/ExportStep';
import { Glossary } from '../ui/Glossary';
import { MethodStep } from '../ui/MethodStep';
import { StorageNotice, UrlIssues } from '../ui/Notices';
import { PilotBar } from '../ui/PilotBar';
import { PilotCard } from '../ui/PilotCard';
import { ResumeBanner } from '../ui/ResumeBanner';
import { Stepper } from '../ui/Stepper';
import { StoryIntro } from '../ui/StoryIntro';
import { TeacherStep } from '../ui/TeacherStep';
import { TrainingStep } from '../ui/TrainingStep';
import { selectAttentionRunsKey } from '../ui/explorer/data';
import { KeyExplorer } from '../ui/explorer/KeyExplorer';
import { openStep } from '../ui/layoutStore';
import { startDeepLinks } from './deepLinks';

const selectHasAttentionRun = (s: Parameters<typeof selectAttentionRunsKey>[0]) => selectAttentionRunsKey(s) !== '';

function withoutPresenter(): string {
  const q = new URLSearchParams(window.location.search);
  q.delete('presenter');
  return `${window.location.pathname}${q.size ? `?${q}` : ''}${window.location.hash}`;
}
function withPresenter(): string {
  const q = new URLSearchParams(window.location.search);
  q.set('presenter', '1');
  return `${window.location.pathname}?${q}#explorer`;
}

function fullScreen() {
  void document.documentElement.requestFullscreen?.().catch(() => {});
}

export function PageLayout() {
  const presenter = useStudio(selectPresenter);
  // The reorder when the first attention run starts renders in a transition (in slices), and the
  // panels are made once: a new order moves them without re-rendering any of them.
  const storyFirst = useDeferredDrawn(useStudio(selectHasAttentionRun) || presenter);
  useEffect(() => startDeepLinks(openStep), []);
  const sections = useMemo(() => {
    const setup: ReactNode[] = [<DatasetStep key="dataset" />, <TeacherStep key="teacher" />, <MethodStep key="method" />, <TrainingStep key="training" />];
    const story: ReactNode[] = [<KeyExplorer key="explorer" />, <PilotCard key="card" />];
    return { setup, story, tail: [<ExportStep key="export" />, <Glossary key="glossary" />] };
  }, []);
  const order = storyFirst ? [...sections.story, ...sections.setup] : [...sections.setup, ...sections.story];
  return (
    <div className={presenter ? 'studio presenter' : 'studio'}>
      <a className="skip-link" href="#main">Skip to the content</a>
      <header className="top">
        <h1>RTK Distillation Studio</h1>
        <nav aria-label="Page">
          <a href="#glossary">Glossary</a>
          {presenter ? (
            <>
              <button type="button" className="link-button" onClick={fullScreen}>Full screen</button>
              <a href={withoutPresenter()}>Leave presenter view</a>
            </>
          ) : <a href={withPresenter()} onClick={(e) => { e.currentTarget.href = withPresenter(); }}>Presenter view</a>}
        </nav>
      </header>
      <StoryIntro />
      <PilotBar />
      <div className="layout">
        <Stepper />
        <main id="main" tabIndex={-1}>
          <ErrorBanner />
          <UrlIssues />
          <StorageNotice />
          <ResumeBanner />
          {order}
          {sections.tail}
        </main>
      </div>
    </div>
  );
}

import type { ImportSummary } from '../../domain';
import { nOf } from '../../domain';
import { count } from '../format';

const mb = (b: number) => (b < 1e6 ? `${Math.ceil(b / 1e3)} KB` : `${(b / 1e6).toFixed(1)} MB`);

/** What an import found, in a form a person can act on: per class, skipped by reason, duplicates, small classes. */
export function ImportSummaryView({ summary }: { summary: ImportSummary }) {
  const s = summary;
  const train = s.trainPerClass.reduce((a, b) => a + b, 0);
  const test = s.testPerClass.reduce((a, b) => a + b, 0);
  const within = s.duplicates.withinClass ?? [];
  return (
    <div className="import-summary" data-testid="import-summary">
      <p>
        <strong>{s.name}</strong>: {count(train)} training and {count(test)} test images in {s.classNames.length} classes,
        {' '}{s.shape[0]}×{s.shape[1]} {s.shape[2] === 1 ? 'greyscale' : 'RGB'} ({s.settings.resize}), {mb(s.bytes)} in this browser.
        {' '}{s.split === 'folders' ? 'Split by its train/ and test/ folders.' : `Test share ${Math.round(s.settings.testShare * 100)} % per class (seed ${s.settings.seed}).`}
        {' '}Fingerprint <code data-testid="import-fingerprint">{s.id}</code>.
      </p>
      <table className="balance" aria-label="Images per class of the import">
        <thead><tr><th scope="col">Class</th><th scope="col">Training</th><th scope="col">Test</th></tr></thead>
        <tbody>
          {s.classNames.map((name, i) => (
            <tr key={i} className={s.fewClasses.includes(name) ? 'flag' : undefined}>
              <th scope="row">{name}</th><td>{count(s.trainPerClass[i])}</td><td>{count(s.testPerClass[i])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="import-notes" aria-label="Import findings">
        {s.fewClasses.length ? <li className="warn" data-testid="few-classes">Few images: {s.fewClasses.map((c) => `${c} (${nOf(s.trainPerClass[s.classNames.indexOf(c)], 'training image')})`).join(', ')} {s.fewClasses.length > 1 ? 'have' : 'has'} fewer than 10 training images; accuracy on {s.fewClasses.length > 1 ? 'them' : 'it'} will be unreliable. Add images if you can.</li> : null}
        {s.emptyClasses.length ? <li className="warn" data-testid="empty-classes">Left out: the class folder{s.emptyClasses.length > 1 ? 's' : ''} {s.emptyClasses.map((c) => `"${c}"`).join(', ')} held no usable image, so the class indices skip {s.emptyClasses.length > 1 ? 'them' : 'it'} (torchvision's ImageFolder would refuse). Add images or remove the folder.</li> : null}
        {s.duplicates.leaks ? <li className="warn" data-testid="leaks">Leak: {nOf(s.duplicates.leaks, 'test image')} {s.duplicates.leaks > 1 ? 'are' : 'is'} an exact copy of a training image (e.g. {s.duplicates.leakExamples[0]?.join(' = ')}); test accuracy will be too optimistic. Remove the copies from test/.</li> : null}
        {within.length ? <li className="warn" data-testid="duplicates-within">Copies within a class: {within.map((d) => `${d.className} (${nOf(d.images, 'image')}, ${nOf(d.distinct, 'distinct picture')})`).join(', ')}. The model learns from the distinct pictures only, and the copies of one picture stay on one side of the split. Remove the copies or add different images.</li> : null}
        {s.duplicates.count && !s.duplicates.leaks ? <li data-testid="duplicates">{nOf(s.duplicates.count, 'exact duplicate file')} (e.g. {s.duplicates.examples[0]?.join(' = ')}), all on one side of the split.</li> : null}
        {s.mixedSizes ? <li data-testid="mixed-sizes">{nOf(s.mixedSizes, 'image')} differed in size from the first one; all were resized to {s.shape[0]}×{s.shape[1]} ({s.settings.resize}), none refused.</li> : null}
        {s.mixedChannels ? <li data-testid="mixed-channels">{nOf(s.mixedChannels, s.shape[2] === 3 ? 'greyscale image' : 'colour image')} {s.mixedChannels === 1 ? 'was' : 'were'} {s.shape[2] === 3 ? 'stored as RGB' : 'converted to greyscale'}, none refused.</li> : null}
        {s.clutter ? <li data-testid="clutter">{nOf(s.clutter, 'OS clutter file')} (__MACOSX/, ._*, .DS_Store, Thumbs.db) skipped.</li> : null}
      </ul>
      {s.skipped.length ? (
        <div data-testid="skipped">
          <h4>Skipped files</h4>
          {s.skipped.map((g) => (
            <details key={g.reason} data-reason={g.reason}>
              <summary>{g.count} {g.text}. {g.fix}</summary>
              <ul className="small">{g.files.map((f, i) => <li key={i}>{f}</li>)}</ul>
            </details>
          ))}
        </div>
      ) : null}
    </div>
  );
}

import { useState } from 'react';
import type { ImportedDatasetId } from '../../domain';
import { isImportedId } from '../../domain';
import type { Studio } from '../../state/store';
import { selectBusy, selectDataset } from '../../state/selectors';
import { useStudio, useStudioDeferred } from '../context';
import { ImportSummaryView } from './ImportSummaryView';
import { useImportActions } from './useImportActions';

const selectPendingLink = (s: Studio) => s.pendingLink;
const selectImported = (s: Studio) => s.imported;

/** The selected imported dataset's summary and its Remove button; a notice for a link naming images this browser lacks. */
export function ImportedDataset() {
  const dataset = useStudio(selectDataset);
  const imported = useStudio(selectImported);
  const busy = useStudioDeferred(selectBusy);
  const pending = useStudio(selectPendingLink);
  const { remove } = useImportActions();
  const [error, setError] = useState<string | null>(null);
  const summary = isImportedId(dataset) ? imported[dataset] : undefined;
  return (
    <>
      {pending ? (
        <p className="notice" role="status" data-testid="link-needs-import">
          This link names imported images <code>{pending.dataset}</code>, which this browser does not have: images never travel in a link.
          Import the same folder or zip (same size, colour, resize mode and test share) below, and the link’s configuration is applied.
        </p>
      ) : null}
      {summary ? (
        <div data-testid="imported-selected">
          <ImportSummaryView summary={summary} />
          <button type="button" className="control" disabled={busy} onClick={() => {
            setError(null);
            remove(dataset as ImportedDatasetId).catch((e: unknown) => setError(`Could not remove it: ${String(e)}`));
          }}>Remove these images from this browser</button>
          {error ? <p className="error-text" role="alert">{error}</p> : null}
        </div>
      ) : null}
    </>
  );
}

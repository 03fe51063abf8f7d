import { useState, type ChangeEvent } from 'react';
import { runFromJobCard } from '../state/jobImport';
import { useHandles } from './context';
import { Field } from './fields';
import { pct } from './format';

/** "Import a finished job": a job's distillation-card.json joins the pilot card and the key explorer. */
export function ImportJob() {
  const { store } = useHandles();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    try {
      const record = runFromJobCard(file.name, await file.text());
      store.getState().importRun(record);
      setMsg({ ok: true, text: `Imported ${file.name}: ${record.origin}, test accuracy ${pct(record.result!.testAccuracy)}. It is in the pilot card and the key explorer.` });
    } catch (err) {
      setMsg({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
    e.target.value = '';
  };
  return (
    <div className="control">
      <Field label="Import a finished job (its distillation-card.json)" explain="A job exported with “Export for a cluster” writes this card; its run appears here beside the browser’s runs, labelled with where it ran.">
        {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} type="file" accept=".json,application/json" onChange={(e) => { void onFile(e); }} />}
      </Field>
      {msg ? <p role={msg.ok ? 'status' : 'alert'} data-testid="import-job-note" className={msg.ok ? '' : 'error'}>{msg.text}</p> : null}
    </div>
  );
}

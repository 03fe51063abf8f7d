import type { ColourMode, ImportSettings, ResizeMode } from '../../domain';
import { RESIZE_MODES } from '../../domain';
import { NumberField, SelectField } from '../fields';

const SIZES = ['28', '32', '48', '64', '96', '224'] as const;

/** Input size, colour, resize mode and the test share of an import. */
export function ImportOptions({ settings, split, onChange, disabled }: {
  settings: ImportSettings; split: 'folders' | 'stratified' | null; onChange(patch: Partial<ImportSettings>): void; disabled: boolean;
}) {
  return (
    <div className="control grid" data-testid="import-options">
      <SelectField label="Input size" explain="Every image is resized to this many pixels a side (the models' input)."
        value={String(settings.height) as (typeof SIZES)[number]} disabled={disabled}
        options={SIZES.map((s) => ({ value: s, label: `${s}×${s}` }))}
        onChange={(v) => onChange({ height: Number(v), width: Number(v) })} />
      <SelectField<ColourMode> label="Colour" explain="Greyscale keeps one channel (luma), RGB three."
        value={settings.colour} disabled={disabled} options={[{ value: 'rgb', label: 'RGB colour' }, { value: 'grey', label: 'Greyscale' }]}
        onChange={(v) => onChange({ colour: v })} />
      <SelectField<ResizeMode> label="Resize mode" explain={RESIZE_MODES[settings.resize].blurb}
        value={settings.resize} disabled={disabled}
        options={(Object.keys(RESIZE_MODES) as ResizeMode[]).map((m) => ({ value: m, label: RESIZE_MODES[m].label }))}
        onChange={(v) => onChange({ resize: v })} />
      {split === 'folders' ? (
        <p className="hint" data-testid="split-source">The folder has train/ and test/ folders: they are the split.</p>
      ) : (
        <NumberField label="Test share" integer={false} min={0.05} max={0.5} step={0.05} value={settings.testShare} disabled={disabled}
          explain={`Share of each class held out as test images (stratified, seed ${settings.seed}).`}
          onChange={(v) => onChange({ testShare: v })} />
      )}
    </div>
  );
}

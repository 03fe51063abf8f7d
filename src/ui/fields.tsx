import { useEffect, useId, useState, type ReactNode } from 'react';

/** A label, its control and a one-line explanation tied to the control by aria-describedby. */
export function Field({ label, explain, problem, children }: { label: string; explain: string; problem?: string | null; children: (ids: { id: string; describedBy: string }) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-name">{label}</label>
      {children({ id, describedBy: `${id}-x` })}
      <span id={`${id}-x`} className={problem ? 'field-problem' : 'field-explain'}>{problem ? `Not used: ${problem}.` : explain}</span>
    </div>
  );
}

interface NumberFieldProps {
  label: string;
  /** One line saying what the value does. */
  explain: string;
  value: number;
  onChange(v: number): void;
  min?: number;
  max?: number;
  step?: number | 'any';
  integer?: boolean;
  disabled?: boolean;
}

/**
 * A labelled number input with a one-line explanation. Typing keeps a local draft; the value is
 * committed only when it is a valid number in range, otherwise the field says why.
 */
export function NumberField({ label, explain, value, onChange, min, max, step = 'any', integer = false, disabled }: NumberFieldProps) {
  const [draft, setDraft] = useState(String(value));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => { setDraft(String(value)); setProblem(null); }, [value]);
  const commit = (raw: string) => {
    setDraft(raw);
    const v = Number(raw);
    let why: string | null = null;
    if (raw.trim() === '' || !Number.isFinite(v)) why = 'enter a number';
    else if (integer && !Number.isInteger(v)) why = 'enter a whole number';
    else if ((min !== undefined && v < min) || (max !== undefined && v > max)) why = `between ${min ?? '−∞'} and ${max ?? '∞'}`;
    setProblem(why);
    if (!why && v !== value) onChange(v);
  };
  return (
    <Field label={label} explain={explain} problem={problem}>
      {({ id, describedBy }) => (
        <input id={id} aria-describedby={describedBy} type="number" value={draft} min={min} max={max} step={step} disabled={disabled}
          aria-invalid={problem !== null} onChange={(e) => commit(e.target.value)} />
      )}
    </Field>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  explain: string;
  value: T;
  options: { value: T; label: string }[];
  onChange(v: T): void;
  disabled?: boolean;
}

export function SelectField<T extends string>({ label, explain, value, options, onChange, disabled }: SelectFieldProps<T>) {
  return (
    <Field label={label} explain={explain}>
      {({ id, describedBy }) => (
        <select id={id} aria-describedby={describedBy} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as T)}>
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </Field>
  );
}

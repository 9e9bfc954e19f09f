import type { GpuMode, NewRunForm } from '../../lib/new-run-form';

interface GpuFieldProps {
  form: Pick<NewRunForm, 'gpuMode' | 'gpuCount' | 'gpuIds'>;
  onChange(patch: Partial<NewRunForm>): void;
}

const MODES: Array<[GpuMode, string]> = [
  ['none', 'None'],
  ['count', 'Count'],
  ['ids', 'Specific'],
  ['all', 'All'],
];

/** No GPU, N GPUs, given devices (indexes or UUIDs), or all of them. */
export function GpuField({ form, onChange }: GpuFieldProps) {
  return (
    <div className="gpu-field">
      <div className="segmented" role="radiogroup" aria-label="GPUs" data-testid="field-gpus">
        {MODES.map(([mode, label]) => (
          <button
            key={mode}
            type="button"
            role="radio"
            aria-checked={form.gpuMode === mode}
            className={`segment${form.gpuMode === mode ? ' selected' : ''}`}
            data-testid={`gpu-mode-${mode}`}
            onClick={() => onChange({ gpuMode: mode })}
          >
            {label}
          </button>
        ))}
      </div>
      {form.gpuMode === 'count' && (
        <input
          className="input input-narrow"
          type="number"
          min={1}
          max={64}
          aria-label="Number of GPUs"
          data-testid="field-gpu-count"
          value={form.gpuCount}
          onChange={(e) => onChange({ gpuCount: e.target.value })}
        />
      )}
      {form.gpuMode === 'ids' && (
        <input
          className="input input-mono"
          aria-label="GPU indexes or UUIDs"
          data-testid="field-gpu-ids"
          placeholder="0,2 or GPU-…"
          value={form.gpuIds}
          spellCheck={false}
          onChange={(e) => onChange({ gpuIds: e.target.value })}
        />
      )}
    </div>
  );
}

import type { ReactNode } from 'react';

interface FormRowProps {
  label: string;
  htmlFor?: string;
  hint?: ReactNode;
  error?: string;
  /** The field's name for tests and for scrolling to the first error. */
  field: string;
  children: ReactNode;
}

/** A labelled form field with its hint, and its error under it (replacing the hint). */
export function FormRow({ label, htmlFor, hint, error, field, children }: FormRowProps) {
  return (
    <div className={`form-row${error ? ' has-error' : ''}`} data-field={field}>
      <label className="form-label" htmlFor={htmlFor}>
        {label}
      </label>
      <div className="form-control">
        {children}
        {error ? (
          <div className="field-error" role="alert" data-testid="field-error" data-field={field}>
            {error}
          </div>
        ) : (
          hint && <div className="form-hint">{hint}</div>
        )}
      </div>
    </div>
  );
}

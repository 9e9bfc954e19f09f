import { useEffect, useState } from 'react';
import { call, type ApiError } from '../api/client';

/**
 * Stop, with a confirmation step in place (no modal): the first click asks, the second stops.
 * The run ends KILLED after its grace period (SIGTERM, then SIGKILL).
 */
export function StopRunButton({ runId }: { runId: string }) {
  const [phase, setPhase] = useState<'idle' | 'confirm' | 'stopping'>('idle');
  const [error, setError] = useState<ApiError | null>(null);

  // An unanswered question goes away by itself.
  useEffect(() => {
    if (phase !== 'confirm') return;
    const t = setTimeout(() => setPhase('idle'), 8000);
    return () => clearTimeout(t);
  }, [phase]);

  const stop = async () => {
    setPhase('stopping');
    setError(null);
    try {
      await call((c) => c.runs.stop({ runId }));
    } catch (err) {
      setError(err as ApiError);
      setPhase('idle');
    }
  };

  return (
    <div className="stop-run">
      {phase === 'confirm' ? (
        <>
          <span className="stop-run-question">Stop this run?</span>
          <button type="button" className="button button-danger-solid" data-testid="stop-run-confirm" onClick={() => void stop()}>
            Stop run
          </button>
          <button type="button" className="button" data-testid="stop-run-cancel" onClick={() => setPhase('idle')}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className="button button-danger" data-testid="stop-run" disabled={phase === 'stopping'} onClick={() => setPhase('confirm')}>
          {phase === 'stopping' ? 'Stopping…' : 'Stop'}
        </button>
      )}
      {error && (
        <span className="error-text stop-run-error" role="alert">
          {error.message}
        </span>
      )}
    </div>
  );
}

import { useState } from 'react';
import { call } from '../../api/client';
import { baseName, saveBlob } from '../../lib/download';

/** Fetches one artifact file and saves it under its own name. */
export function DownloadButton({ runId, path }: { runId: string; path: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const download = async () => {
    setState({ busy: true, error: null });
    try {
      const file = await call((c) => c.artifacts.read({ runId, path }));
      saveBlob(file, baseName(path));
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: (err as Error).message });
    }
  };
  return (
    <>
      <button
        type="button"
        className="button button-small"
        data-testid="artifact-download"
        data-path={path}
        disabled={state.busy}
        onClick={(e) => {
          e.stopPropagation();
          void download();
        }}
      >
        {state.busy ? 'Downloading…' : 'Download'}
      </button>
      {state.error && (
        <span className="error-text artifact-error" role="alert" title={state.error}>
          {state.error}
        </span>
      )}
    </>
  );
}

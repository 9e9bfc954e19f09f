import { useEffect, useState } from 'react';
import { call, type ApiError } from '../../api/client';
import { formatBytes } from '../../lib/format';
import { imageMimeType, isImageName, isTextName, looksLikeText } from '../../lib/file-kinds';
import { DownloadButton } from './download-button';

/** Text files up to this size are shown inline. */
export const TEXT_PREVIEW_MAX = 256 * 1024;
const IMAGE_PREVIEW_MAX = 8 * 1024 * 1024;

type Preview = { kind: 'text'; text: string } | { kind: 'image'; url: string } | { kind: 'binary' } | { kind: 'error'; error: ApiError };

export function canPreview(path: string, size: number | undefined): boolean {
  if (size === undefined) return false;
  if (isImageName(path)) return size <= IMAGE_PREVIEW_MAX;
  return size <= TEXT_PREVIEW_MAX;
}

interface ArtifactPreviewProps {
  runId: string;
  path: string;
  size: number | undefined;
  onClose(): void;
}

/** An artifact file inline: small text files as text, images as images; others get a note. */
export function ArtifactPreview({ runId, path, size, onClose }: ArtifactPreviewProps) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const previewable = canPreview(path, size);

  useEffect(() => {
    if (!previewable) return;
    let cancelled = false;
    let url: string | null = null;
    setPreview(null);
    call((c) => c.artifacts.read({ runId, path })).then(
      async (file) => {
        if (cancelled) return;
        if (isImageName(path)) {
          // The server sends bytes without a reliable type; SVG is only drawn with its own.
          url = URL.createObjectURL(new Blob([file], { type: imageMimeType(path) }));
          setPreview({ kind: 'image', url });
          return;
        }
        const bytes = new Uint8Array(await file.arrayBuffer());
        if (cancelled) return;
        if (!isTextName(path) && !looksLikeText(bytes)) setPreview({ kind: 'binary' });
        else setPreview({ kind: 'text', text: new TextDecoder().decode(bytes) });
      },
      (error: ApiError) => !cancelled && setPreview({ kind: 'error', error }),
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [runId, path, previewable]);

  return (
    <div className="artifact-preview card" data-testid="artifact-preview" data-path={path}>
      <div className="artifact-preview-head">
        <code className="artifact-preview-path">{path}</code>
        <span className="muted">{formatBytes(size)}</span>
        <span className="spacer" />
        <DownloadButton runId={runId} path={path} />
        <button type="button" className="button button-icon" aria-label="Close preview" title="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="artifact-preview-body">
        {!previewable ? (
          <p className="muted artifact-preview-note">
            {isImageName(path) ? 'This image is too large to show here.' : `No inline preview for files over ${formatBytes(TEXT_PREVIEW_MAX)}.`} Download it to open it.
          </p>
        ) : preview === null ? (
          <p className="muted artifact-preview-note">Loading…</p>
        ) : preview.kind === 'error' ? (
          <p className="error-text artifact-preview-note">
            {preview.error.code}: {preview.error.message}
          </p>
        ) : preview.kind === 'binary' ? (
          <p className="muted artifact-preview-note">A binary file; download it to open it.</p>
        ) : preview.kind === 'image' ? (
          <img className="artifact-image" src={preview.url} alt={path} />
        ) : (
          <pre className="artifact-text" data-testid="artifact-text">
            {preview.text}
          </pre>
        )}
      </div>
    </div>
  );
}

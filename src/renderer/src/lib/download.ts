/** Saves a Blob as a file through an object URL and a temporary `<a download>`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has its own reference by now; a later revoke keeps slow starts safe.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The last segment of a '/'-separated path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins artifact path segments with '/', skipping empty ones. */
export function joinPath(...parts: string[]): string {
  return parts.filter(Boolean).join('/');
}

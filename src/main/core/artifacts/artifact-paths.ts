import path from 'node:path';
import { LatheError } from '../../../shared/errors';

/**
 * Splits an artifact path relative to the artifact root (already percent-decoded) into its
 * segments, refusing anything that could leave the root or name something unexpected:
 * absolute paths (`/x`, `C:\x`), `..` and `.` segments, empty segments (`a//b`),
 * backslashes (a separator on Windows), NUL and other control characters.
 * The empty string (the root itself) gives `[]`.
 * Source: ../shared/notes/mlflow-rest.md §3.5 ("Paths containing `..` are rejected with 400")
 * and the fixtures README (any path leaving the root → 400).
 * @throws LatheError INVALID_PARAMETER_VALUE ("Invalid path …") for any of the above.
 */
export function splitArtifactPath(relPath: string): string[] {
  if (relPath === '') return [];
  const bad = (why: string): never => {
    throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid path '${relPath.slice(0, 200)}': ${why}`, { field: 'path' });
  };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(relPath)) bad('control characters are not allowed');
  if (relPath.includes('\\')) bad('backslashes are not allowed');
  if (relPath.startsWith('/') || /^[A-Za-z]:/.test(relPath)) bad('absolute paths are not allowed');
  // File systems cap a name at 255 bytes and a path near 4096: refuse before the OS does.
  if (Buffer.byteLength(relPath) > 1024) bad('the path is longer than 1024 bytes');
  const segments = relPath.split('/');
  if (segments.length > 32) bad('the path is more than 32 folders deep');
  for (const s of segments) {
    if (s === '') bad('empty path segments are not allowed');
    if (s === '.' || s === '..') bad("'.' and '..' are not allowed");
    if (Buffer.byteLength(s) > 255) bad('a path segment is longer than 255 bytes');
  }
  return segments;
}

/** True when `child` is `parent` or lies inside it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The path of a run's artifacts relative to the artifact root, from its artifact URI
 * (`mlflow-artifacts:/<experiment_id>/<run_id>/artifacts` → `<experiment_id>/<run_id>/artifacts`).
 * @throws LatheError INVALID_STATE when the URI is not an `mlflow-artifacts:` URI.
 */
export function artifactUriToRelPath(artifactUri: string): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/+(.*)$/.exec(artifactUri);
  if (!m) throw new LatheError('INVALID_STATE', `Artifact URI '${artifactUri}' is not served by Lathe's artifact store`);
  const rel = m[1]!.replace(/\/+$/, '');
  splitArtifactPath(rel);
  return rel;
}

/** Joins relative artifact paths, ignoring empty parts (`joinArtifactPath('a/b', '', 'c')` → `a/b/c`). */
export function joinArtifactPath(...parts: Array<string | undefined>): string {
  return parts
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/');
}

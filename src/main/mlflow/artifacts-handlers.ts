import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Core } from '../core/create-core';
import { joinArtifactPath, splitArtifactPath } from '../core/artifacts/artifact-paths';
import { assertCanWriteArtifact, type Principal } from './auth';
import type { JsonHandler } from './handler-types';
import { MlflowError, sendJson } from './http-reply';
import { fileInfoToJson } from './mlflow-json';
import { optString, runIdOf } from './request-body';

/**
 * The proxied artifact routes under `/api/2.0/mlflow-artifacts/` (§3.5 of
 * ../shared/notes/mlflow-rest.md). Paths are relative to the artifact root:
 * `<experiment_id>/<run_id>/artifacts/<file>` for runs, `<experiment_id>/models/<id>/artifacts/…`
 * for logged models. Any path that leaves the root is 400 INVALID_PARAMETER_VALUE and nothing
 * outside it is read or written (the ArtifactStore checks real paths).
 */

/**
 * Decodes the `<path>` of `/artifacts/<path>` from the raw request URL (percent-decoding once,
 * so `..%2F` arrives as `../` and is refused by the store's checks).
 * @throws MlflowError 400 INVALID_PARAMETER_VALUE for malformed percent-encoding.
 */
export function decodeArtifactPath(rawEncoded: string): string {
  try {
    return decodeURIComponent(rawEncoded);
  } catch {
    throw new MlflowError('INVALID_PARAMETER_VALUE', 'Invalid path: malformed percent-encoding');
  }
}

/** Content types served for downloads; anything else (HTML and SVG included) is sent as bytes. */
const SAFE_TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.yaml': 'text/plain; charset=utf-8',
  '.yml': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
};

/**
 * `PUT /artifacts/<path>`: the raw body becomes the file (streamed to a temp file, renamed
 * into place) → 200 `{}`. A per-run token may upload only under its run's artifact folder
 * (403 PERMISSION_DENIED). A body shorter than its Content-Length stores nothing.
 */
export async function uploadArtifact(req: http.IncomingMessage, res: http.ServerResponse, core: Core, principal: Principal, rootRel: string): Promise<void> {
  splitArtifactPath(rootRel);
  assertCanWriteArtifact(principal, core, rootRel);
  const declared = req.headers['content-length'];
  const expectedSize = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined;
  await core.artifacts.writePath(rootRel, req, { expectedSize });
  sendJson(res, 200, {});
}

/**
 * `DELETE /artifacts/<path>`: removes a file or a folder with its contents → 200 `{}`; nothing
 * there is fine too (a retried DELETE succeeds). A per-run token may delete only where it may
 * upload (403 PERMISSION_DENIED). The artifact root itself cannot be deleted (400).
 */
export async function deleteArtifact(res: http.ServerResponse, core: Core, principal: Principal, rootRel: string): Promise<void> {
  splitArtifactPath(rootRel);
  assertCanWriteArtifact(principal, core, rootRel);
  await core.artifacts.deletePath(rootRel);
  sendJson(res, 200, {});
}

/**
 * `GET /artifacts/<path>`: streams the file with Content-Length, a Content-Type from a short
 * list of safe types (else application/octet-stream) and `Content-Disposition: attachment`.
 * A missing file is 404 RESOURCE_DOES_NOT_EXIST (the real server's 500 makes clients retry
 * for minutes).
 */
export async function downloadArtifact(res: http.ServerResponse, core: Core, rootRel: string): Promise<void> {
  const file = await core.artifacts.openReadPath(rootRel);
  const type = SAFE_TYPES[path.extname(file.fileName).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, {
    'content-type': type,
    'content-length': file.size,
    'content-disposition': `attachment; filename="${file.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
    'last-modified': new Date(file.mtimeMs).toUTCString(),
  });
  await pipeline(file.stream, res);
}

/**
 * `GET /artifacts?path=<dir>` → `{files?: [{path, is_dir, file_size?}]}` with names relative to
 * the listed folder, sorted. A missing folder (or a file) gives `{}`.
 */
export const listArtifacts: JsonHandler = async ({ core, fields }) => {
  const files = await core.artifacts.listPath(optString(fields, 'path') ?? '');
  return files.length ? { files: files.map(fileInfoToJson) } : {};
};

/**
 * `GET /api/2.0/mlflow/artifacts/list` {run_id | run_uuid, path?, page_token?} →
 * `{root_uri, files?}`: the tracking variant, relative to the run's artifact root, with each
 * file's path given from that root (`dir/a.txt`). Not used by the client for
 * `mlflow-artifacts:` runs, but part of the API.
 */
export const listRunArtifacts: JsonHandler = async ({ core, fields }) => {
  const runId = runIdOf(fields);
  const rel = optString(fields, 'path') ?? '';
  splitArtifactPath(rel);
  const info = core.tracking.getRunInfo(runId);
  const files = await core.artifacts.list(runId, rel);
  return {
    root_uri: info.artifactUri,
    ...(files.length ? { files: files.map((f) => fileInfoToJson({ ...f, path: joinArtifactPath(rel, f.path) })) } : {}),
  };
};

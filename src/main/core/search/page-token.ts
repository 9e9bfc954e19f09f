import { LatheError } from '../../../shared/errors';

/**
 * Page tokens for run search, in the real MLflow SQL store's format: base64 of
 * `{"offset": N}` (../shared/notes/mlflow-rest.md §3.2). Clients treat them as opaque.
 */
export function encodeOffsetToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

/**
 * The offset in a page token; absent or empty gives 0.
 * @throws LatheError INVALID_PARAMETER_VALUE "Invalid page token, …" (the real server's
 *   wording) for anything that is not base64 JSON with a non-negative integer offset.
 */
export function decodeOffsetToken(token: string | undefined | null): number {
  if (!token) return 0;
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9+/=_-]+$/.test(token)) throw new Error('not base64');
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw new LatheError('INVALID_PARAMETER_VALUE', 'Invalid page token, could not base64-decode', { field: 'page_token' });
  }
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) {
    throw new LatheError('INVALID_PARAMETER_VALUE', 'Invalid page token: expected an offset from a previous search', { field: 'page_token' });
  }
  return offset as number;
}

import { ORPCError, ValidationError } from '@orpc/server';
import { LatheError } from '../../shared/errors';

interface ZodLikeIssue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

function issuePath(issue: ZodLikeIssue): string {
  return (issue.path ?? []).map((p) => (typeof p === 'object' && p !== null ? String(p.key) : String(p))).join('.');
}

/**
 * Turns any error thrown while handling a procedure into the ORPCError that crosses the
 * transport as `{code, message, data}`:
 * - LatheError → its code and HTTP status, details as data;
 * - oRPC input validation failure → 400 INVALID_PARAMETER_VALUE naming the offending field;
 * - anything else → 500 INTERNAL_ERROR (the message is kept; the stack stays on the server).
 */
export function toTransportError(error: unknown): ORPCError<string, unknown> {
  if (error instanceof LatheError) {
    return new ORPCError(error.code, { status: error.status, message: error.message, data: error.details, cause: error });
  }
  if (error instanceof ORPCError) {
    if (error.code === 'BAD_REQUEST' && error.cause instanceof ValidationError) {
      const issues = error.cause.issues as ZodLikeIssue[];
      const first = issues[0];
      const field = first ? issuePath(first) : '';
      const message = first ? `Invalid value for '${field || 'input'}': ${first.message}` : 'Invalid input';
      return new ORPCError('INVALID_PARAMETER_VALUE', {
        status: 400,
        message,
        data: { field, issues: issues.map((i) => ({ field: issuePath(i), message: i.message })) },
        cause: error,
      });
    }
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ORPCError('INTERNAL_ERROR', { status: 500, message, cause: error });
}

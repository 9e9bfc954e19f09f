import { createORPCClient, ORPCError } from '@orpc/client';
import { RPCLink as FetchLink } from '@orpc/client/fetch';
import { RPCLink as PortLink } from '@orpc/client/message-port';
import type { ContractRouterClient } from '@orpc/contract';
import type { Contract } from '../../../shared/api/contract';
import { customJsonSerializers } from '../../../shared/api/serializers';
import { START_RPC_MESSAGE, type LatheBridge } from '../../../shared/api/bridge';

declare global {
  interface Window {
    lathe?: LatheBridge;
  }
}

export type ApiClient = ContractRouterClient<Contract>;

/** The typed error every API call rejects with: `{code, message, details}` from the server. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The HTTP server answers some requests itself, before oRPC sees them (missing token, foreign
 * Host/Origin, unknown path), with a plain `{code, message}` body. The RPC codec cannot read
 * that shape: it rejects with an ORPCError named after the status alone, whose data is the raw
 * response (`{status, headers, body: undefined}`). These are the server's codes for those answers.
 */
const GUARD_ERRORS: Record<number, { code: string; message: string }> = {
  401: { code: 'UNAUTHENTICATED', message: 'Missing or wrong API token: open the URL that `lathe serve` printed' },
  403: { code: 'PERMISSION_DENIED', message: "The server refused this page's Host or Origin (DNS-rebinding protection)" },
  404: { code: 'ENDPOINT_NOT_FOUND', message: 'The server has no such API procedure (is it an older Lathe?)' },
};

function isUnreadableErrorBody(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'status' in data && 'headers' in data && 'body' in data;
}

/** Converts whatever a link throws into an {@link ApiError}. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ORPCError) {
    if (isUnreadableErrorBody(err.data)) {
      const known = GUARD_ERRORS[err.status];
      if (known) return new ApiError(known.code, known.message, err.status);
      return new ApiError(err.code, err.message, err.status);
    }
    return new ApiError(err.code, err.message, err.status, (err.data ?? undefined) as Record<string, unknown> | undefined);
  }
  if (err instanceof Error) return new ApiError('NETWORK_ERROR', err.message, 0);
  return new ApiError('NETWORK_ERROR', String(err), 0);
}

const TOKEN_KEY = 'lathe.token';

/**
 * Browser mode: the token comes in the URL `lathe serve` printed (?token=…); it is kept in
 * sessionStorage and removed from the address bar so it does not linger in history.
 */
export function readToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function createLink() {
  if (window.lathe?.isElectron) {
    const { port1: clientPort, port2: serverPort } = new MessageChannel();
    window.postMessage(START_RPC_MESSAGE, '*', [serverPort]);
    clientPort.start();
    return new PortLink({ port: clientPort, customJsonSerializers });
  }
  const token = readToken();
  return new FetchLink({
    url: `${window.location.origin}/rpc`,
    customJsonSerializers,
    headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
  });
}

/** The one typed client of the app (MessagePort in Electron, HTTP + SSE in browser mode). */
export const api: ApiClient = createORPCClient(createLink());

/** Calls `fn` and rethrows failures as {@link ApiError}. */
export async function call<T>(fn: (client: ApiClient) => Promise<T>): Promise<T> {
  try {
    return await fn(api);
  } catch (err) {
    throw toApiError(err);
  }
}

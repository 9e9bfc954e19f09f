import { createRouterClient, onError } from '@orpc/server';
import { createCore } from '../core/create-core';
import { loadOrCreateToken } from '../core/config';
import { mapApiError, router } from '../api/router';
import { readServerRecord } from '../server/lathe-server';
import { createHttpClient, type LatheClient } from '../../shared/api/http-client';

/**
 * Runs `fn` with an API client: the running server's (HTTP, with the install token), so its
 * UI updates at once, or the router called in this process on the store when no server runs.
 */
export async function withApi(home: string, fn: (api: LatheClient) => Promise<void>): Promise<void> {
  const server = readServerRecord(home);
  if (server) {
    await fn(createHttpClient(server.url, loadOrCreateToken(home)));
    return;
  }
  const core = createCore({ home });
  try {
    // The same error mapping as the HTTP transport, so codes and statuses match.
    await fn(createRouterClient(router, { context: { core }, interceptors: [onError(mapApiError)] }));
  } finally {
    core.dispose();
  }
}

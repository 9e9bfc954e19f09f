import { createRouterClient, onError } from '@orpc/server';
import { createCore } from '../core/create-core';
import { loadOrCreateToken } from '../core/config';
import { mapApiError, router } from '../api/router';
import { readServerRecord } from '../server/lathe-server';
import { createHttpClient, type LatheClient } from '../../shared/api/http-client';
import { LatheError } from '../../shared/errors';
import { SERVER_PROBE_MS, serverAnswers } from './server-connection';

/**
 * Runs `fn` with an API client: the running server's (HTTP, with the install token), so its
 * UI updates at once, or the router called in this process on the store when no server runs.
 */
export async function withApi(home: string, fn: (api: LatheClient) => Promise<void>): Promise<void> {
  const server = readServerRecord(home);
  if (server) {
    const client = createHttpClient(server.url, loadOrCreateToken(home));
    // A server that is up but does not answer (stopped, wedged) would hang the command.
    if (!(await serverAnswers(client))) {
      throw new LatheError(
        'TEMPORARILY_UNAVAILABLE',
        `the lathe serve of ${home} (pid ${server.pid}, ${server.url}) does not answer within ${SERVER_PROBE_MS / 1000} s; stop it (kill ${server.pid}) or wait for it, then try again`,
      );
    }
    await fn(client);
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

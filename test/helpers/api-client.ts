import { createHttpClient, type LatheClient } from '../../src/shared/api/http-client';

/** A typed API client over HTTP, as the browser-mode UI uses it. */
export function httpClient(baseUrl: string, token: string | null): LatheClient {
  return createHttpClient(baseUrl, token);
}

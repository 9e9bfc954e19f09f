import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/fetch';
import type { ContractRouterClient } from '@orpc/contract';
import type { Contract } from './contract';
import { customJsonSerializers } from './serializers';

export type LatheClient = ContractRouterClient<Contract>;

/**
 * A typed API client over HTTP (`<baseUrl>/rpc`) sending the install token as a Bearer
 * header — what the CLI and tests use to talk to `lathe serve`.
 */
export function createHttpClient(baseUrl: string, token: string | null): LatheClient {
  return createORPCClient(
    new RPCLink({
      url: new URL('rpc', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString(),
      customJsonSerializers,
      headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
    }),
  );
}

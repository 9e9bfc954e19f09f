import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/fetch';
import type { ContractRouterClient } from '@orpc/contract';
import type { Contract } from '../../src/shared/api/contract';
import { customJsonSerializers } from '../../src/shared/api/serializers';

/** A typed API client over HTTP, as the browser-mode UI uses it. */
export function httpClient(baseUrl: string, token: string | null): ContractRouterClient<Contract> {
  return createORPCClient(
    new RPCLink({
      url: new URL('rpc', baseUrl).toString(),
      customJsonSerializers,
      headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
    }),
  );
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createORPCClient, ORPCError } from '@orpc/client';
import { RPCLink } from '@orpc/client/message-port';
import type { ContractRouterClient } from '@orpc/contract';
import type { Contract } from '../../shared/api/contract';
import { customJsonSerializers } from '../../shared/api/serializers';
import { START_RPC_MESSAGE } from '../../shared/api/bridge';
import { createCore, type Core } from '../core/create-core';
import { createRpcPortServer, listenForRpcPorts, type RpcIpcMain, type RpcPortIpcEvent } from './rpc-port';
import { FakeMainPort, frame } from './test-fakes';
import type { SenderFrame } from './security';

const APP = 'file:///opt/lathe/out/renderer/index.html';
const trusted = (f: SenderFrame | null) => f !== null && f.parent === null && f.url === APP;

class FakeIpcMain extends EventEmitter implements RpcIpcMain {
  send(channel: string, event: RpcPortIpcEvent) {
    this.emit(channel, event, null);
  }
}

describe('listenForRpcPorts', () => {
  it('serves the port of a trusted sender', () => {
    const ipc = new FakeIpcMain();
    const serve = vi.fn();
    listenForRpcPorts(ipc, { isTrustedSender: trusted, serve });
    const [port] = FakeMainPort.pair();
    ipc.send(START_RPC_MESSAGE, { senderFrame: frame(APP), ports: [port] });
    expect(serve).toHaveBeenCalledExactlyOnceWith(port);
    expect(port.closed).toBe(false);
  });

  it('refuses an untrusted sender and closes its port', () => {
    const ipc = new FakeIpcMain();
    const serve = vi.fn();
    const onRejected = vi.fn();
    listenForRpcPorts(ipc, { isTrustedSender: trusted, serve, onRejected });
    for (const senderFrame of [frame('https://evil.example/'), frame(APP, frame(APP)), null]) {
      const [port] = FakeMainPort.pair();
      ipc.send(START_RPC_MESSAGE, { senderFrame, ports: [port] });
      expect(port.closed).toBe(true);
    }
    expect(serve).not.toHaveBeenCalled();
    expect(onRejected).toHaveBeenCalledTimes(3);
    expect(onRejected.mock.calls[0]![0]).toContain('evil.example');
  });

  it('refuses a message with no port or with several', () => {
    const ipc = new FakeIpcMain();
    const serve = vi.fn();
    listenForRpcPorts(ipc, { isTrustedSender: trusted, serve });
    ipc.send(START_RPC_MESSAGE, { senderFrame: frame(APP), ports: [] });
    const [a] = FakeMainPort.pair();
    const [b] = FakeMainPort.pair();
    ipc.send(START_RPC_MESSAGE, { senderFrame: frame(APP), ports: [a, b] });
    expect(serve).not.toHaveBeenCalled();
    expect(a.closed && b.closed).toBe(true);
  });

  it('listens on START_RPC_MESSAGE only, and stops when asked', () => {
    const ipc = new FakeIpcMain();
    const serve = vi.fn();
    const stop = listenForRpcPorts(ipc, { isTrustedSender: trusted, serve });
    ipc.send('some-other-channel', { senderFrame: frame(APP), ports: [FakeMainPort.pair()[0]] });
    expect(serve).not.toHaveBeenCalled();
    stop();
    expect(ipc.listenerCount(START_RPC_MESSAGE)).toBe(0);
    ipc.send(START_RPC_MESSAGE, { senderFrame: frame(APP), ports: [FakeMainPort.pair()[0]] });
    expect(serve).not.toHaveBeenCalled();
  });
});

describe('createRpcPortServer (real router and core over a MessagePortMain-like port)', () => {
  let core: Core | undefined;
  let home: string | undefined;
  afterEach(() => {
    core?.dispose();
    if (home) fs.rmSync(home, { recursive: true, force: true });
    core = undefined;
    home = undefined;
  });

  function connect() {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-rpc-port-'));
    core = createCore({ home });
    const [serverPort, clientPort] = FakeMainPort.pair();
    createRpcPortServer(core)(serverPort);
    clientPort.start();
    const client: ContractRouterClient<Contract> = createORPCClient(new RPCLink({ port: clientPort, customJsonSerializers }));
    return { client, serverPort, clientPort };
  }

  it('starts the port and answers calls with the core as context', async () => {
    const { client, serverPort } = connect();
    expect(serverPort.started).toBe(true);
    const info = await client.system.info({});
    expect(info.home).toBe(home);
    const created = await client.experiments.create({ name: 'over-the-port' });
    const listed = await client.experiments.list({});
    expect(listed.map((e) => e.name)).toContain('over-the-port');
    expect(created).toBeDefined();
  });

  it('maps errors the same way as the HTTP transport', async () => {
    const { client } = connect();
    const err = await client.experiments.get({ experimentId: '999999' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ORPCError);
    expect((err as ORPCError<string, unknown>).code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((err as ORPCError<string, unknown>).status).toBe(404);
  });
});

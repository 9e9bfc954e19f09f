import { onError } from '@orpc/server';
import { RPCHandler } from '@orpc/server/message-port';
import type { MessagePortMainLike } from '@orpc/client/message-port';
import { router, mapApiError } from '../api/router';
import type { Core } from '../core/create-core';
import { customJsonSerializers } from '../../shared/api/serializers';
import { START_RPC_MESSAGE } from '../../shared/api/bridge';
import type { SenderFrame } from './security';

/** The main-process end of a MessageChannel (Electron's MessagePortMain). */
export interface RpcPort extends MessagePortMainLike {
  /** Messages queue until this is called. */
  start(): void;
  close(): void;
}

/** The part of Electron's IpcMainEvent the listener reads. */
export interface RpcPortIpcEvent {
  senderFrame: SenderFrame | null;
  ports: RpcPort[];
}

/** The part of Electron's ipcMain the listener uses. */
export interface RpcIpcMain {
  on(channel: string, listener: (event: RpcPortIpcEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: RpcPortIpcEvent, ...args: unknown[]) => void): unknown;
}

export interface RpcPortListenerOptions {
  /** Decides whether the sending frame is the app's own page (security.ts, isTrustedSender). */
  isTrustedSender: (frame: SenderFrame | null) => boolean;
  /** Serves the API on an accepted port (see {@link createRpcPortServer}). */
  serve: (port: RpcPort) => void;
  /** Told why a message was refused, for the log. */
  onRejected?: (reason: string) => void;
}

/**
 * Listens on ipcMain for {@link START_RPC_MESSAGE}: the preload forwards the port the page
 * created, and main serves the typed API on it. A message is refused, and every port it
 * carried closed (so nothing stays half-open), when its sender is not the app's own top-level
 * page or when it carries anything but exactly one port; such a port never reaches the API.
 * @returns a function that removes the listener.
 */
export function listenForRpcPorts(ipcMain: RpcIpcMain, options: RpcPortListenerOptions): () => void {
  const listener = (event: RpcPortIpcEvent) => {
    const ports = event.ports ?? [];
    let reason: string | undefined;
    if (!options.isTrustedSender(event.senderFrame)) reason = `sender ${describeFrame(event.senderFrame)} is not the app's page`;
    else if (ports.length !== 1) reason = `expected exactly one port, got ${ports.length}`;
    if (reason !== undefined) {
      for (const port of ports) port.close();
      options.onRejected?.(reason);
      return;
    }
    options.serve(ports[0]!);
  };
  ipcMain.on(START_RPC_MESSAGE, listener);
  return () => ipcMain.removeListener(START_RPC_MESSAGE, listener);
}

/**
 * Returns a function that serves the API router on a port: the same router, error mapping
 * and serializers as the HTTP transport, with `core` as every call's context. One port per
 * page load; a reload brings a new port, and the old one's close ends its streams.
 */
export function createRpcPortServer(core: Core): (port: RpcPort) => void {
  const handler = new RPCHandler(router, { clientInterceptors: [onError(mapApiError)], customJsonSerializers });
  return (port) => {
    handler.upgrade(port, { context: { core } });
    port.start();
  };
}

function describeFrame(frame: SenderFrame | null): string {
  if (!frame) return '(gone)';
  try {
    return JSON.stringify(frame.url);
  } catch {
    return '(unreadable)';
  }
}

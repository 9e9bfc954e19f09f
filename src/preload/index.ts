import { contextBridge, ipcRenderer } from 'electron';
import { START_RPC_MESSAGE, type LatheBridge } from '../shared/api/bridge';
import { forwardRpcPorts, type MessageSourceWindow } from './port-forwarding';

// Sandboxed preload (built as CommonJS). It exposes two constants and forwards one port:
// no ipcRenderer, no Node API ever reaches the page.

contextBridge.exposeInMainWorld('lathe', { isElectron: true, platform: process.platform } satisfies LatheBridge);

type Transfer = Parameters<typeof ipcRenderer.postMessage>[2];

// In a preload, globalThis is the page's window (seen from the isolated world).
forwardRpcPorts(globalThis as unknown as MessageSourceWindow, START_RPC_MESSAGE, (port) => {
  ipcRenderer.postMessage(START_RPC_MESSAGE, null, [port] as Transfer);
});

/**
 * The only things the Electron preload exposes to the page (window.lathe). The typed API
 * itself travels over a MessagePort that the page creates and hands to the main process
 * through the preload (message {@link START_RPC_MESSAGE} with the port attached); no generic
 * ipcRenderer is ever exposed.
 */
export interface LatheBridge {
  isElectron: true;
  platform: string;
}

/** window.postMessage data (page → preload) and ipc channel (preload → main) carrying the server port. */
export const START_RPC_MESSAGE = 'lathe:start-rpc';

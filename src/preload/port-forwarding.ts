/** A `message` event as the preload sees it on its window. */
export interface PortMessageEvent {
  source: unknown;
  data: unknown;
  ports: ReadonlyArray<unknown>;
}

/** The preload's window, reduced to what forwarding needs. */
export interface MessageSourceWindow {
  addEventListener(type: 'message', listener: (event: PortMessageEvent) => void): void;
}

/**
 * Forwards the page's RPC port to the main process. The page posts `message` (the
 * START_RPC_MESSAGE string) to its own window with the server end of a MessageChannel; only
 * a message whose source is this very window (not an iframe, not another window holding a
 * reference to us) and whose data is exactly `message` is forwarded, with its first port and
 * nothing else. Main checks the sending frame again (rpc-port.ts).
 * @param send passes the port to main (`ipcRenderer.postMessage(channel, null, [port])`).
 */
export function forwardRpcPorts(win: MessageSourceWindow, message: string, send: (port: unknown) => void): void {
  win.addEventListener('message', (event) => {
    if (event.source !== win || event.data !== message) return;
    const port = event.ports[0];
    if (port === undefined) return;
    send(port);
  });
}

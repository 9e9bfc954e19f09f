import { describe, expect, it, vi } from 'vitest';
import { START_RPC_MESSAGE } from '../shared/api/bridge';
import { forwardRpcPorts, type MessageSourceWindow, type PortMessageEvent } from './port-forwarding';

class FakeWindow implements MessageSourceWindow {
  private listeners: Array<(event: PortMessageEvent) => void> = [];
  addEventListener(_type: 'message', listener: (event: PortMessageEvent) => void): void {
    this.listeners.push(listener);
  }
  dispatch(event: PortMessageEvent): void {
    for (const l of this.listeners) l(event);
  }
}

function setup() {
  const win = new FakeWindow();
  const send = vi.fn();
  forwardRpcPorts(win, START_RPC_MESSAGE, send);
  return { win, send };
}

describe('forwardRpcPorts (preload)', () => {
  it('forwards the port of the page own START_RPC_MESSAGE', () => {
    const { win, send } = setup();
    const port = { name: 'server port' };
    win.dispatch({ source: win, data: START_RPC_MESSAGE, ports: [port] });
    expect(send).toHaveBeenCalledExactlyOnceWith(port);
  });

  it('ignores messages from other windows or frames', () => {
    const { win, send } = setup();
    win.dispatch({ source: new FakeWindow(), data: START_RPC_MESSAGE, ports: [{}] });
    win.dispatch({ source: null, data: START_RPC_MESSAGE, ports: [{}] });
    expect(send).not.toHaveBeenCalled();
  });

  it('ignores other data, look-alikes, and messages without a port', () => {
    const { win, send } = setup();
    for (const data of ['lathe:start-rpc ', 'LATHE:START-RPC', { type: START_RPC_MESSAGE }, [START_RPC_MESSAGE], null]) {
      win.dispatch({ source: win, data, ports: [{}] });
    }
    win.dispatch({ source: win, data: START_RPC_MESSAGE, ports: [] });
    expect(send).not.toHaveBeenCalled();
  });

  it('forwards only the first port', () => {
    const { win, send } = setup();
    const first = {};
    win.dispatch({ source: win, data: START_RPC_MESSAGE, ports: [first, {}, {}] });
    expect(send).toHaveBeenCalledExactlyOnceWith(first);
  });
});

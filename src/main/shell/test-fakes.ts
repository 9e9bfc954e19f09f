import { EventEmitter } from 'node:events';
import type { GuardedEvent, GuardedSession, GuardedWebContents, SenderFrame } from './security';
import type { ResponseHeaders } from './csp';
import type { RpcPort } from './rpc-port';

// EventEmitter-based stand-ins for the Electron objects the shell drives; no Electron binary
// exists on CI, and the guards are what must be proven, not Electron.

/** A cancellable event like Electron's; `prevented` says whether a guard called preventDefault. */
export function guardedEvent(url?: string): GuardedEvent & { prevented: boolean } {
  const event = {
    url,
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}

export class FakeWebContents extends EventEmitter implements GuardedWebContents {
  windowOpenHandler?: (details: { url: string }) => { action: 'deny' };

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  /** Emits a navigation-type event and returns whether it was prevented. */
  attempt(kind: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', url?: string): boolean {
    const event = guardedEvent(url);
    this.emit(kind, event);
    return event.prevented;
  }

  /** What Electron would do for window.open(url): undefined means "allowed" (no handler). */
  open(url: string): { action: string } | undefined {
    return this.windowOpenHandler?.({ url });
  }
}

type PermissionRequestHandler = Parameters<GuardedSession['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<GuardedSession['setPermissionCheckHandler']>[0];
type HeadersListener = Parameters<GuardedSession['webRequest']['onHeadersReceived']>[0];

export class FakeSession implements GuardedSession {
  permissionRequestHandler?: PermissionRequestHandler;
  permissionCheckHandler?: PermissionCheckHandler;
  headersListener?: HeadersListener;

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler;
  }
  webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };

  /** Electron grants permissions when no handler is set; this mirrors that default. */
  requestPermission(permission: string): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler({}, permission, resolve));
  }
  checkPermission(permission: string): boolean {
    return this.permissionCheckHandler ? this.permissionCheckHandler({}, permission) : true;
  }
  /** Runs a response through the header listener; unchanged headers when there is none. */
  respond(url: string, responseHeaders: ResponseHeaders): Promise<ResponseHeaders | undefined> {
    const listener = this.headersListener;
    if (!listener) return Promise.resolve(responseHeaders);
    return new Promise((resolve) => listener({ url, responseHeaders }, (response) => resolve(response.responseHeaders)));
  }
}

export function frame(url: string, parent: SenderFrame | null = null, detached = false): SenderFrame {
  return { url, parent, detached };
}

/**
 * One end of a fake MessageChannelMain: Node-style `on('message', ({data}) => …)`, messages
 * held until start() (as Electron's MessagePortMain does), delivered asynchronously.
 */
export class FakeMainPort extends EventEmitter implements RpcPort {
  peer!: FakeMainPort;
  started = false;
  closed = false;
  private queue: unknown[] = [];

  static pair(): [FakeMainPort, FakeMainPort] {
    const a = new FakeMainPort();
    const b = new FakeMainPort();
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  override on(event: string, listener: (...args: any[]) => void): this {
    return super.on(event, listener);
  }

  postMessage(data: unknown): void {
    if (this.closed) return;
    this.peer.receive(data);
  }

  start(): void {
    this.started = true;
    const pending = this.queue.splice(0);
    for (const data of pending) setImmediate(() => this.emit('message', { data }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
    this.peer.close();
  }

  private receive(data: unknown): void {
    if (this.closed) return;
    if (!this.started) this.queue.push(data);
    else setImmediate(() => this.emit('message', { data }));
  }
}

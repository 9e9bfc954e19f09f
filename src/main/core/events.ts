import { EventEmitter } from 'node:events';
import type { ChangeEvent } from '../../shared/api/types';

/**
 * The in-process change bus. Services publish after a write commits; transports forward
 * events to subscribers (the UI refreshes on them, debounced, instead of polling).
 */
export class ChangeBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open window/browser tab is one listener.
    this.emitter.setMaxListeners(0);
  }

  publish(event: Omit<ChangeEvent, 'at'>): void {
    this.emitter.emit('change', { ...event, at: Date.now() } satisfies ChangeEvent);
  }

  /** Calls `listener` for each event until the returned function is called. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /**
   * Yields events until `signal` aborts. Events arriving while the consumer is busy are
   * queued (bounded: the oldest are dropped past 1,000, since consumers only refetch).
   */
  async *stream(signal?: AbortSignal): AsyncGenerator<ChangeEvent> {
    const queue: ChangeEvent[] = [];
    let wake: (() => void) | undefined;
    const off = this.subscribe((e) => {
      queue.push(e);
      if (queue.length > 1000) queue.shift();
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (!signal?.aborted) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        yield queue.shift()!;
      }
    } finally {
      off();
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

import type { ChangeEvent } from '../../../shared/api/types';
import { useConnectionStore } from '../state/connection-store';
import { api, call, toApiError } from './client';

/**
 * `resync` is not sent by the server: the feed emits it after a reconnect, because events
 * may have been missed while it was down and every view must refetch once.
 */
export type FeedEvent = ChangeEvent | { kind: 'resync'; at: number };
type Listener = (event: FeedEvent) => void;

const listeners = new Set<Listener>();

/** Calls `listener` for every change event (and resync) until the returned function is called. */
export function onFeedEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function emit(event: FeedEvent): void {
  for (const l of listeners) l(event);
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;
/** Failures in a row after which the state reads "offline" instead of "reconnecting". */
const OFFLINE_AFTER = 4;

export function backoffDelay(failures: number): number {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, failures - 1));
  // Jitter so that many tabs do not reconnect in lockstep after a restart.
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

let wakeEarly: (() => void) | null = null;

/** Skips the current backoff wait (the "Retry now" button, the browser's `online` event). */
export function retryNow(): void {
  wakeEarly?.();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      wakeEarly = null;
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    wakeEarly = done;
  });
}

async function refreshServerInfo(): Promise<void> {
  try {
    const info = await call((c) => c.system.info());
    useConnectionStore.getState().setServerVersion(info.version);
  } catch {
    // The version is decoration; the feed's own state already says whether the server answers.
  }
}

/**
 * Keeps one subscription to `events.subscribe` open for the whole app, reconnecting with
 * exponential backoff, and mirrors its health in the connection store. Returns a stop function.
 */
export function startChangeFeed(): () => void {
  const stop = new AbortController();
  const store = useConnectionStore.getState;
  const onOnline = () => retryNow();
  window.addEventListener('online', onOnline);

  void (async () => {
    let failures = 0;
    let everConnected = false;
    while (!stop.signal.aborted) {
      const attempt = new AbortController();
      const abortAttempt = () => attempt.abort();
      stop.signal.addEventListener('abort', abortAttempt);
      try {
        const events = await api.events.subscribe(undefined, { signal: attempt.signal });
        failures = 0;
        store().setState('connected', { failures: 0, retryAt: null, lastError: null });
        void refreshServerInfo();
        if (everConnected) emit({ kind: 'resync', at: Date.now() });
        everConnected = true;
        for await (const event of events) emit(event);
        // A stream that ends without error means the server closed it (restart, shutdown).
        throw new Error('The server closed the event stream');
      } catch (err) {
        if (stop.signal.aborted) break;
        const e = toApiError(err);
        if (e.status === 401) {
          store().setState('unauthenticated', { lastError: e.message, retryAt: null });
          break;
        }
        failures += 1;
        const delay = backoffDelay(failures);
        store().setState(failures >= OFFLINE_AFTER || !navigator.onLine ? 'offline' : 'reconnecting', {
          failures,
          retryAt: Date.now() + delay,
          lastError: e.message,
        });
        await sleep(delay, stop.signal);
      } finally {
        stop.signal.removeEventListener('abort', abortAttempt);
        attempt.abort();
      }
    }
  })();

  return () => {
    window.removeEventListener('online', onOnline);
    stop.abort();
  };
}

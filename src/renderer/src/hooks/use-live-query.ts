import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError, type ApiError } from '../api/client';
import type { ChangeEvent } from '../../../shared/api/types';
import { useConnectionStore } from '../state/connection-store';
import { useFeedEvents } from './use-feed-events';

export interface LiveQuery<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** True until the first answer (or error) for the current key. */
  loading: boolean;
  refetch(): void;
}

/**
 * Fetches with `fetcher` whenever `key` changes, and again (debounced) whenever a change event
 * matching `refreshOn` arrives. Data already shown stays on screen while a refetch runs, so a
 * live page does not flicker. At most one request per key is in flight; a refetch asked for
 * meanwhile runs once after it.
 */
export function useLiveQuery<T>(key: string, fetcher: () => Promise<T>, refreshOn?: (event: ChangeEvent) => boolean): LiveQuery<T> {
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiError }>({ key });
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const flight = useRef({ key, running: false, again: false });

  const run = useCallback(async () => {
    const f = flight.current;
    if (f.running) {
      f.again = true;
      return;
    }
    f.running = true;
    const forKey = f.key;
    try {
      do {
        f.again = false;
        try {
          const data = await fetcherRef.current();
          if (flight.current.key === forKey) setState({ key: forKey, data });
        } catch (err) {
          const error = toApiError(err);
          if (error.status === 401) useConnectionStore.getState().setState('unauthenticated', { lastError: error.message });
          // Keep the last good data: a transient failure on refetch should not blank the page.
          if (flight.current.key === forKey) setState((s) => ({ key: forKey, data: s.key === forKey ? s.data : undefined, error }));
        }
      } while (f.again && flight.current === f);
    } finally {
      f.running = false;
    }
  }, []);

  useEffect(() => {
    flight.current = { key, running: false, again: false };
    void run();
  }, [key, run]);

  useFeedEvents(() => void run(), { match: refreshOn ?? (() => false) });

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !current || (state.data === undefined && state.error === undefined),
    refetch: () => void run(),
  };
}

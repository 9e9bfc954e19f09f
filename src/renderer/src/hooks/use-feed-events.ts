import { useEffect, useRef } from 'react';
import type { ChangeEvent } from '../../../shared/api/types';
import { onFeedEvent } from '../api/change-feed';

export interface FeedOptions {
  /** Which change events concern the caller; a resync after a reconnect always does. */
  match: (event: ChangeEvent) => boolean;
  /** Quiet time before firing. */
  debounceMs?: number;
  /** Longest wait while events keep coming (a training loop logs without pause, and a plain
   *  trailing debounce would then never fire). */
  maxWaitMs?: number;
}

/** Calls `onChange` once per burst of matching change events. */
export function useFeedEvents(onChange: () => void, { match, debounceMs = 300, maxWaitMs = 1000 }: FeedOptions): void {
  const latest = useRef({ onChange, match });
  latest.current = { onChange, match };

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let firstAt: number | null = null;
    const fire = () => {
      timer = undefined;
      firstAt = null;
      latest.current.onChange();
    };
    const off = onFeedEvent((event) => {
      if (event.kind !== 'resync' && !latest.current.match(event)) return;
      const now = Date.now();
      firstAt ??= now;
      clearTimeout(timer);
      timer = setTimeout(fire, Math.max(0, Math.min(debounceMs, firstAt + maxWaitMs - now)));
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [debounceMs, maxWaitMs]);
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { api, toApiError, type ApiError } from '../api/client';
import { LogBuffer, utf8Length } from '../lib/log-buffer';

/** How much of the end of a log is loaded first, and how much each "load earlier" adds. */
export const LOG_WINDOW_BYTES = 2 * 1024 * 1024;
/** Chunks arriving within this time are drawn together (a fast writer sends many). */
const FLUSH_MS = 50;

export interface LogStream {
  buffer: LogBuffer;
  /** Increases whenever the buffer changed; a render key. */
  version: number;
  /** Lines most recently put before the first line by {@link LogStream.loadEarlier}, and when. */
  prepended: { lines: number; at: number };
  loading: boolean;
  /** True while new output is being followed. */
  live: boolean;
  error: ApiError | null;
  loadingEarlier: boolean;
  loadEarlier(): void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Streams a run's log into a {@link LogBuffer}: the last {@link LOG_WINDOW_BYTES}, then (when
 * `follow`, i.e. the run had not ended when the view opened) every new byte until the run ends.
 * A dropped stream resumes from the last byte received. Aborted on unmount.
 */
export function useLogStream(runId: string, follow: boolean): LogStream {
  const [buffer, setBuffer] = useState(() => new LogBuffer());
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<{ loading: boolean; live: boolean; error: ApiError | null }>({ loading: true, live: false, error: null });
  const [prepended, setPrepended] = useState({ lines: 0, at: 0 });
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  // Follow is decided when the view opens: a follow stream ends by itself when the run does.
  const followRef = useRef(follow);
  followRef.current = follow;

  useEffect(() => {
    const buf = new LogBuffer();
    setBuffer(buf);
    setVersion((v) => v + 1);
    setStatus({ loading: true, live: false, error: null });
    const ac = new AbortController();
    let pending = '';
    let pendingOffset: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      if (pending || pendingOffset !== undefined) buf.append(pending, pendingOffset);
      pending = '';
      pendingOffset = undefined;
      setVersion((v) => v + 1);
    };

    void (async () => {
      const following = followRef.current;
      let offset = -LOG_WINDOW_BYTES;
      let received = false;
      for (let attempt = 0; !ac.signal.aborted; attempt++) {
        try {
          const chunks = await api.runs.logs({ runId, offset, follow: following, maxBytes: LOG_WINDOW_BYTES }, { signal: ac.signal });
          setStatus({ loading: false, live: following, error: null });
          attempt = 0;
          for await (const chunk of chunks) {
            if (!received) pendingOffset = chunk.offset;
            received = true;
            pending += chunk.text;
            offset = chunk.offset + utf8Length(chunk.text);
            timer ??= setTimeout(flush, FLUSH_MS);
          }
          // A follow stream ends when the run does; if the run still looks active, the
          // connection was cut (server restart): resume from the last byte.
          if (!following || !followRef.current) break;
          await sleep(1000, ac.signal);
        } catch (err) {
          if (ac.signal.aborted) break;
          const error = toApiError(err);
          setStatus({ loading: false, live: false, error });
          // A missing run or a refused request will not get better by retrying.
          if (error.status >= 400 && error.status < 500) break;
          await sleep(Math.min(10_000, 500 * 2 ** Math.min(attempt, 5)), ac.signal);
        }
      }
      if (ac.signal.aborted) return;
      clearTimeout(timer);
      flush();
      setStatus((s) => ({ ...s, loading: false, live: false }));
    })();

    return () => {
      ac.abort();
      clearTimeout(timer);
    };
  }, [runId]);

  const loadEarlier = useCallback(() => {
    const start = buffer.startOffset;
    if (start === null || start <= 0 || loadingEarlier) return;
    const from = Math.max(0, start - LOG_WINDOW_BYTES);
    setLoadingEarlier(true);
    void (async () => {
      try {
        let text = '';
        let at = from;
        for await (const chunk of await api.runs.logs({ runId, offset: from, follow: false, maxBytes: start - from })) {
          if (!text) at = chunk.offset;
          text += chunk.text;
        }
        // Starting mid-file lands inside a line: drop that piece, keep whole lines only.
        if (at > 0) {
          const nl = text.indexOf('\n');
          const cut = nl < 0 ? text.length : nl + 1;
          at += utf8Length(text.slice(0, cut));
          text = text.slice(cut);
        }
        if (buffer.startOffset !== start) return;
        const lines = buffer.prepend(text, at);
        setPrepended({ lines, at: Date.now() });
        setVersion((v) => v + 1);
      } catch (err) {
        setStatus((s) => ({ ...s, error: toApiError(err) }));
      } finally {
        setLoadingEarlier(false);
      }
    })();
  }, [buffer, runId, loadingEarlier]);

  return { buffer, version, prepended, loadingEarlier, loadEarlier, ...status };
}

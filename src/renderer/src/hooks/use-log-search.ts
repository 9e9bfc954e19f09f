import { useMemo, useRef } from 'react';
import type { LogBuffer } from '../lib/log-buffer';
import { findMatches, type LogMatch } from '../lib/log-search';

interface Scan {
  buffer: LogBuffer | null;
  query: string;
  /** Complete lines already searched; the incomplete last line is searched again each time. */
  scanned: number;
  /** Lines before the first line held when the scan was made (a prepend shifts indexes). */
  firstOffset: number | null;
  dropped: number;
  matches: LogMatch[];
}

/**
 * The matches of `query` in the buffer, updated incrementally as lines stream in: only new
 * lines are searched, so a following view with 100,000+ lines stays cheap per update.
 */
export function useLogSearch(buffer: LogBuffer, version: number, query: string): LogMatch[] {
  const scan = useRef<Scan>({ buffer: null, query: '', scanned: 0, firstOffset: 0, dropped: 0, matches: [] });
  return useMemo(() => {
    void version;
    const s = scan.current;
    const fresh = s.buffer !== buffer || s.query !== query || s.firstOffset !== buffer.startOffset || s.dropped !== buffer.dropped;
    const line = (i: number) => buffer.line(i);
    let matches: LogMatch[];
    if (fresh) {
      matches = findMatches(line, 0, buffer.lineCount, query);
    } else {
      // Drop matches in lines that were incomplete when last scanned, then scan from there.
      let keep = s.matches.length;
      while (keep > 0 && s.matches[keep - 1]!.line >= s.scanned) keep--;
      matches = findMatches(line, s.scanned, buffer.lineCount, query, s.matches.slice(0, keep));
    }
    scan.current = { buffer, query, scanned: buffer.completeCount, firstOffset: buffer.startOffset, dropped: buffer.dropped, matches };
    return matches;
  }, [buffer, version, query]);
}

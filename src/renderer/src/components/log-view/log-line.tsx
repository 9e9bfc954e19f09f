import { memo } from 'react';
import { splitMatches } from '../../lib/log-search';

/** Lines longer than this are cut in the view (a single huge line would stall layout). */
const MAX_LINE_CHARS = 20_000;

interface LogLineProps {
  text: string;
  query: string;
  /** UTF-16 index of the current match in this line, or -1. */
  currentStart: number;
}

export const LogLine = memo(function LogLine({ text, query, currentStart }: LogLineProps) {
  const long = text.length > MAX_LINE_CHARS;
  const shown = long ? text.slice(0, MAX_LINE_CHARS) : text;
  return (
    <>
      {query && shown.toLowerCase().includes(query.toLowerCase())
        ? splitMatches(shown, query).map((p) =>
            p.match ? (
              <mark key={p.start} className={p.start === currentStart ? 'log-match current' : 'log-match'} data-current-match={p.start === currentStart ? '' : undefined}>
                {p.text}
              </mark>
            ) : (
              p.text
            ),
          )
        : shown || '\u200b'}
      {long && <span className="log-cut"> … {(text.length - MAX_LINE_CHARS).toLocaleString()} more characters</span>}
    </>
  );
});

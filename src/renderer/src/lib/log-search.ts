export interface LogMatch {
  line: number;
  /** UTF-16 index of the match in the line. */
  start: number;
}

/** Past this many matches the search stops counting (the count then reads "N+"). */
export const MAX_MATCHES = 200_000;

/** Case-insensitive occurrences of `query` in lines [from, to), appended to `into`. */
export function findMatches(line: (i: number) => string, from: number, to: number, query: string, into: LogMatch[] = []): LogMatch[] {
  if (!query) return into;
  const needle = query.toLowerCase();
  for (let i = from; i < to && into.length < MAX_MATCHES; i++) {
    const text = line(i);
    if (text.length < needle.length) continue;
    const hay = text.toLowerCase();
    let at = hay.indexOf(needle);
    while (at >= 0 && into.length < MAX_MATCHES) {
      into.push({ line: i, start: at });
      at = hay.indexOf(needle, at + needle.length);
    }
  }
  return into;
}

/** Splits a line into plain and matching pieces for highlighting. */
export function splitMatches(text: string, query: string): Array<{ text: string; match: boolean; start: number }> {
  if (!query) return [{ text, match: false, start: 0 }];
  const hay = text.toLowerCase();
  const needle = query.toLowerCase();
  const out: Array<{ text: string; match: boolean; start: number }> = [];
  let pos = 0;
  let at = hay.indexOf(needle);
  while (at >= 0) {
    if (at > pos) out.push({ text: text.slice(pos, at), match: false, start: pos });
    out.push({ text: text.slice(at, at + needle.length), match: true, start: at });
    pos = at + needle.length;
    at = hay.indexOf(needle, pos);
  }
  if (pos < text.length) out.push({ text: text.slice(pos), match: false, start: pos });
  return out;
}

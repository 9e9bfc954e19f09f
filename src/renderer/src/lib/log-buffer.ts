/** Escape sequences terminals interpret (colours, cursor moves, titles): dropped from the view. */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/**
 * One raw log line as a person should read it: ANSI codes and control characters removed,
 * and a carriage-return progress bar (`10%\r20%\r30%`) reduced to what the terminal would show.
 */
export function cleanLogLine(raw: string): string {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.includes('\x1b')) line = line.replace(ANSI, '');
  if (line.includes('\r')) {
    // Each carriage return goes back to the start of the line and writes over it.
    let shown = '';
    for (const part of line.split('\r')) shown = part + shown.slice(part.length);
    line = shown;
  }
  return line.replace(CONTROL, '');
}

/** Bytes `text` takes in UTF-8 (chunks carry byte offsets; JavaScript strings count UTF-16 units). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i += 1;
    } else n += 3;
  }
  return n;
}

/**
 * The lines of a run's log held by the log view: complete lines cleaned once, and the last
 * incomplete line kept raw until its newline arrives (output can stop mid-line). Byte offsets
 * of the first line and of the end let the view resume a stream and load earlier parts.
 */
export class LogBuffer {
  private lines: string[] = [];
  private partial = '';
  /** Byte offset in the log file of the first line held; null once older lines were dropped. */
  startOffset: number | null = 0;
  /** Byte offset just after the last byte received. */
  endOffset = 0;
  /** Lines dropped from the front to stay under `maxLines`. */
  dropped = 0;

  constructor(private readonly maxLines = 1_000_000) {}

  get lineCount(): number {
    return this.lines.length + (this.partial ? 1 : 0);
  }

  /** Lines whose newline has arrived (they will not change any more). */
  get completeCount(): number {
    return this.lines.length;
  }

  line(i: number): string {
    if (i < this.lines.length) return this.lines[i]!;
    return i === this.lines.length ? cleanLogLine(this.partial) : '';
  }

  /** Appends bytes [offset, offset + text) of the log; `offset` places the first chunk. */
  append(text: string, offset?: number): void {
    if (this.lineCount === 0 && offset !== undefined) {
      this.startOffset = offset;
      this.endOffset = offset;
    }
    this.endOffset += utf8Length(text);
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop()!;
    for (const p of parts) this.lines.push(cleanLogLine(p));
    if (this.lines.length > this.maxLines) {
      const drop = this.lines.length - Math.floor(this.maxLines * 0.9);
      this.lines.splice(0, drop);
      this.dropped += drop;
      this.startOffset = null;
    }
  }

  /**
   * Puts an earlier part of the log before the lines held: `text` covers bytes
   * [offset, startOffset) and ends with a newline. Returns the number of lines added.
   */
  prepend(text: string, offset: number): number {
    const parts = text.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    this.lines.unshift(...parts.map(cleanLogLine));
    this.startOffset = offset;
    return parts.length;
  }
}

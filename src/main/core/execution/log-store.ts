import fs from 'node:fs';
import path from 'node:path';

/** A piece of a run's log: bytes [offset, offset + text's byte length) of the log file. */
export interface LogChunk {
  /** Byte offset of this chunk in the log file. */
  offset: number;
  text: string;
}

/**
 * Run logs: one append-only file per run under `<home>/logs/<run_id>.log` (stdout and stderr
 * interleaved as they arrive). Readers follow the file by offset, so the UI and CLI can resume
 * after a reconnect without gaps or repeats.
 */
export class LogStore {
  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  pathFor(runId: string): string {
    return path.join(this.dir, `${runId}.log`);
  }

  /** Size in bytes of a run's log (0 when none yet). */
  size(runId: string): number {
    try {
      return fs.statSync(this.pathFor(runId)).size;
    } catch {
      return 0;
    }
  }

  /**
   * Reads up to `maxBytes` from `offset`. A negative offset counts from the end (tail). The
   * chunk starts after a newline when it had to cut into the file, so no half line is shown,
   * and never splits a UTF-8 character.
   */
  read(runId: string, offset: number, maxBytes = 1 << 20): LogChunk {
    const file = this.pathFor(runId);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return { offset: 0, text: '' };
    }
    try {
      const size = fs.fstatSync(fd).size;
      let start = offset < 0 ? Math.max(0, size + offset) : Math.min(offset, size);
      const len = Math.min(maxBytes, size - start);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, start);
      let from = 0;
      if (offset < 0 && start > 0) {
        // Start after the first newline — unless that leaves nothing (one long last line).
        const nl = buf.indexOf(0x0a);
        from = nl >= 0 && nl + 1 < len ? nl + 1 : 0;
      }
      let to = len;
      // Do not end inside a multi-byte UTF-8 sequence: back off over continuation bytes.
      if (start + len < size) {
        let i = to - 1;
        while (i >= from && (buf[i]! & 0xc0) === 0x80) i--;
        if (i >= from && buf[i]! >= 0xc0) to = i;
      }
      start += from;
      return { offset: start, text: buf.subarray(from, to).toString('utf8') };
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Yields the log from `offset` (negative: tail) and then new bytes as they are written,
   * until `isDone()` is true and the end is reached, or `signal` aborts.
   * Polls the file size every `pollMs` (fs.watch is unreliable on network and overlay file systems).
   */
  async *follow(runId: string, offset: number, isDone: () => boolean, signal?: AbortSignal, pollMs = 200): AsyncGenerator<LogChunk> {
    let pos = offset;
    if (offset < 0) {
      const first = this.read(runId, offset);
      if (first.text) yield first;
      pos = first.offset + Buffer.byteLength(first.text);
    }
    while (!signal?.aborted) {
      const done = isDone();
      const chunk = this.read(runId, pos);
      if (chunk.text) {
        yield chunk;
        pos = chunk.offset + Buffer.byteLength(chunk.text);
        continue;
      }
      if (done) return;
      await new Promise<void>((resolve) => {
        const onAbort = () => {
          clearTimeout(t);
          resolve();
        };
        // The listener is removed on every wake-up: a long follow must not pile them up.
        const t = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, pollMs);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }
}

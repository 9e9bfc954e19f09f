import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';

export type Row = Record<string, unknown>;

/** LATHE_DUCKDB_DEBUG=1 logs every statement with its time to stderr. */
const DEBUG = process.env.LATHE_DUCKDB_DEBUG === '1';

export interface DuckOptions {
  /** Folder for spill files and on-disk databases (created). */
  tempDir: string;
  /** Keep tables in a temporary database file instead of memory (large inputs). */
  onDisk?: boolean;
  /**
   * DuckDB memory_limit, e.g. '1GB'; default LATHE_DUCKDB_MEMORY, else '1GB' in memory and
   * '640MB' on disk (DuckDB also uses memory outside its limit: hash tables, CSV buffers; the
   * lower on-disk limit keeps a 5 GB profile's whole process under 1.5 GB).
   */
  memoryLimit?: string;
  /** Worker threads; default DuckDB's (all cores). */
  threads?: number;
  /** Connections for running independent statements side by side; default 2 (1 on disk). */
  connections?: number;
}

/** SQL string literal ('…' with quotes doubled). */
export function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** SQL identifier ("…" with quotes doubled). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * One DuckDB database for one job (a profile, a validation, a preview), closed with it:
 * jobs never share tables, and memory goes back when they end. Session settings: TimeZone
 * UTC (timestamps with offsets are compared as instants), a memory limit with spilling to
 * `tempDir`, insertion order kept (row numbers → line numbers).
 */
export class DuckSession {
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conns: DuckDBConnection[],
    private readonly dbFile: string | null,
  ) {}

  /** @throws Error when DuckDB cannot start (bad memory limit, unwritable temp folder). */
  static async open(opts: DuckOptions): Promise<DuckSession> {
    fs.mkdirSync(opts.tempDir, { recursive: true });
    const dbFile = opts.onDisk ? path.join(opts.tempDir, `job-${process.pid}-${randomBytes(6).toString('hex')}.duckdb`) : null;
    const settings: Record<string, string> = {
      memory_limit: opts.memoryLimit ?? process.env.LATHE_DUCKDB_MEMORY ?? (opts.onDisk ? '640MB' : '1GB'),
      temp_directory: path.join(opts.tempDir, 'spill'),
      preserve_insertion_order: 'true',
      enable_external_access: 'true',
    };
    if (opts.threads) settings.threads = String(opts.threads);
    const instance = await DuckDBInstance.create(dbFile ?? ':memory:', settings);
    const conns: DuckDBConnection[] = [];
    // On disk (large inputs) one statement at a time: concurrent hash tables would add up.
    for (let i = 0; i < Math.max(1, opts.connections ?? (opts.onDisk ? 1 : 2)); i++) {
      const conn = await instance.connect();
      // ICU loads on first use, so the zone is set per connection rather than at start.
      await conn.run("SET TimeZone = 'UTC'");
      conns.push(conn);
    }
    return new DuckSession(instance, conns, dbFile);
  }

  /** Runs one statement on the main connection and returns its rows as JSON-safe objects. */
  async all(sql: string): Promise<Row[]> {
    const t = DEBUG ? performance.now() : 0;
    const reader = await this.conns[0]!.runAndReadAll(sql);
    if (DEBUG) console.error(`[duck ${(performance.now() - t).toFixed(0)}ms] ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
    return reader.getRowObjectsJson() as Row[];
  }

  /** Column names and DuckDB types a query would return (it runs with LIMIT 0). */
  async describe(sql: string): Promise<Array<{ name: string; type: DuckDBType }>> {
    const reader = await this.conns[0]!.runAndReadAll(`SELECT * FROM (${sql}) LIMIT 0`);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return names.map((name, i) => ({ name, type: types[i]! }));
  }

  /** Runs a statement for its effect. */
  async run(sql: string): Promise<void> {
    const t = DEBUG ? performance.now() : 0;
    await this.conns[0]!.run(sql);
    if (DEBUG) console.error(`[duck ${(performance.now() - t).toFixed(0)}ms] ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
  }

  /** Runs independent read-only statements side by side on the session's connections. */
  async parallel(sqls: string[]): Promise<Row[][]> {
    const out: Row[][] = new Array(sqls.length);
    let next = 0;
    const worker = async (conn: DuckDBConnection) => {
      while (next < sqls.length) {
        const i = next++;
        const t = DEBUG ? performance.now() : 0;
        out[i] = (await conn.runAndReadAll(sqls[i]!)).getRowObjectsJson() as Row[];
        if (DEBUG) console.error(`[duck ∥ ${(performance.now() - t).toFixed(0)}ms] ${sqls[i]!.replace(/\s+/g, ' ').slice(0, 120)}`);
      }
    };
    await Promise.all(this.conns.map(worker));
    return out;
  }

  /** Interrupts whatever runs (cancellation); the running call rejects with 'Interrupted'. */
  interrupt(): void {
    for (const c of this.conns) c.interrupt();
  }

  /** Closes the database and removes its temporary file. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.conns) c.closeSync();
    this.instance.closeSync();
    if (this.dbFile) for (const f of [this.dbFile, `${this.dbFile}.wal`]) fs.rmSync(f, { force: true });
  }
}

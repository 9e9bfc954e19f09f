import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import type { DatasetFormat, Finding } from '../../../../shared/api/dataset-types';
import { ident, lit, type DuckSession } from './duck';
import { colId } from './csv-loader';

export interface NestedLoadResult {
  names: string[];
  types: string[];
  findings: Finding[];
  /** A SELECT that reproduces table t (flattening and type corrections included). */
  read: string;
}

interface Leaf {
  name: string;
  expr: string;
}

/** The DuckDB type text, JSON included (DuckDB's JSON is VARCHAR with the alias JSON). */
export function typeText(t: DuckDBType): string {
  return t.alias === 'JSON' ? 'JSON' : t.toString();
}

/**
 * Leaves of nested records as dotted paths, in order of first appearance ("user.name",
 * "extra.deep.k"), the way the fixtures name flattened JSON columns. Lists and maps stay
 * leaves (profiled by their canonical JSON text).
 */
function flatten(name: string, expr: string, type: DuckDBType, out: Leaf[]): void {
  if (type.typeId === DuckDBTypeId.STRUCT && type.alias !== 'JSON') {
    const st = type as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
    if (st.entryNames.length === 0) return out.push({ name, expr }), undefined;
    st.entryNames.forEach((field, i) => flatten(`${name}.${field}`, `struct_extract(${expr}, ${lit(field)})`, st.entryTypes[i]!, out));
    return;
  }
  out.push({ name, expr });
}

const MALFORMED = /Malformed JSON.*?line (\d+)/s;

function readExpr(file: string, format: DatasetFormat, compression: string, ignoreErrors: boolean): string {
  if (format === 'parquet') return `read_parquet(${lit(file)})`;
  const opts = [`format=${lit(format === 'jsonl' ? 'newline_delimited' : 'auto')}`, 'sample_size=-1', `compression=${lit(compression === 'none' ? 'uncompressed' : compression)}`];
  if (ignoreErrors) opts.push('ignore_errors=true');
  return `read_json(${lit(file)}, ${opts.join(', ')})`;
}

/** JSON-typed leaves (a value that is a number in some records and a string in others): one type if there is one. */
async function refineJsonLeaves(duck: DuckSession, names: string[], types: string[], findings: Finding[], conversions: Map<number, string>): Promise<void> {
  for (let i = 0; i < types.length; i++) {
    if (types[i] !== 'JSON') continue;
    const c = colId(i + 1);
    const rows = await duck.all(`SELECT json_type(${c}) AS jt, count(*)::BIGINT AS n, min(rowid) AS r0 FROM t WHERE ${c} IS NOT NULL AND json_type(${c}) <> 'NULL' GROUP BY jt ORDER BY r0`);
    const kinds = new Set(rows.map((r) => String(r.jt)));
    let target: string | null = null;
    let using = `${c}::HUGEINT`;
    if (kinds.size === 0) continue;
    if ([...kinds].every((k) => k === 'BIGINT' || k === 'UBIGINT')) target = 'HUGEINT';
    else if ([...kinds].every((k) => k === 'BIGINT' || k === 'UBIGINT' || k === 'DOUBLE')) (target = 'DOUBLE'), (using = `${c}::DOUBLE`);
    else if (kinds.size === 1 && kinds.has('VARCHAR')) (target = 'VARCHAR'), (using = `${c} ->> '$'`);
    else if (kinds.size === 1 && kinds.has('BOOLEAN')) (target = 'BOOLEAN'), (using = `${c}::BOOLEAN`);
    if (target) {
      await duck.run(`ALTER TABLE t ALTER ${c} SET DATA TYPE ${target} USING (${using})`);
      if (target === 'HUGEINT') {
        // Keep BIGINT where the values fit, as DuckDB would have typed them.
        const fits = (await duck.all(`SELECT count(*) FILTER (WHERE TRY_CAST(${c} AS BIGINT) IS NULL AND ${c} IS NOT NULL) AS big FROM t`))[0];
        if (Number(fits?.big ?? 0) === 0) (await duck.run(`ALTER TABLE t ALTER ${c} SET DATA TYPE BIGINT`)), (target = 'BIGINT'), (using = `${c}::BIGINT`);
      }
      conversions.set(i + 1, using);
      types[i] = target;
      continue;
    }
    const firstOther = rows.find((r) => r.jt !== 'BIGINT' && r.jt !== 'UBIGINT' && r.jt !== 'DOUBLE');
    const counts = rows.map((r) => `${String(r.jt).toLowerCase()} ${Number(r.n)}`).join(', ');
    findings.push({
      kind: 'mixed_type',
      severity: 'warning',
      column: names[i],
      line: firstOther ? Number(firstOther.r0) + 1 : undefined,
      message: `${names[i]}: values of different JSON types (${counts})${firstOther ? `; the first ${String(firstOther.jt).toLowerCase()} is on line ${Number(firstOther.r0) + 1}` : ''}. Reported as mixed.`,
    });
  }
}

/** `SELECT c1, conv(c2) AS c2, … FROM (inner)`: the read with Lathe's corrections, reproducible. */
export function reproducibleSelect(inner: string, width: number, conversions: Map<number, string>): string {
  if (conversions.size === 0) return inner;
  const cols = Array.from({ length: width }, (_, i) => (conversions.has(i + 1) ? `${conversions.get(i + 1)} AS ${colId(i + 1)}` : colId(i + 1)));
  return `SELECT ${cols.join(', ')} FROM (${inner})`;
}

/**
 * Loads JSON Lines, a JSON array or Parquet into table `t` (columns c1…cN), nested records
 * flattened to dotted leaves. JSON schemas come from every record (sample_size=-1: DuckDB's
 * default sample silently drops keys first seen later). A malformed record is reported with
 * its line and skipped.
 * @throws Error with DuckDB's message when the file cannot be read at all.
 */
export async function loadNested(duck: DuckSession, file: string, format: DatasetFormat, compression: string): Promise<NestedLoadResult> {
  const findings: Finding[] = [];
  let read = readExpr(file, format, compression, false);
  let cols: Array<{ name: string; type: DuckDBType }>;
  try {
    cols = await duck.describe(`SELECT * FROM ${read}`);
  } catch (err) {
    const m = MALFORMED.exec(err instanceof Error ? err.message : String(err));
    if (!m || format === 'parquet') throw err;
    findings.push({ kind: 'malformed_json', severity: 'error', line: Number(m[1]), message: `Malformed JSON on line ${m[1]}: that record is skipped (the other records are read).` });
    read = readExpr(file, format, compression, true);
    cols = await duck.describe(`SELECT * FROM ${read}`);
  }
  const leaves: Leaf[] = [];
  for (const c of cols) flatten(c.name, ident(c.name), c.type, leaves);
  const select = `SELECT ${leaves.map((l, i) => `${l.expr} AS ${colId(i + 1)}`).join(', ') || '1 AS c0'} FROM ${read}`;
  await duck.run(`CREATE OR REPLACE TABLE t AS ${select}`);
  const described = await duck.describe('SELECT * FROM t');
  const names = leaves.map((l) => l.name);
  const types = leaves.map((_, i) => typeText(described[i]!.type));
  const conversions = new Map<number, string>();
  if (format !== 'parquet') await refineJsonLeaves(duck, names, types, findings, conversions);
  return { names, types, findings, read: reproducibleSelect(select, leaves.length, conversions) };
}

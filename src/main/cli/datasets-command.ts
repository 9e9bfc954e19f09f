import fs from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Core } from '../core/create-core';
import type { AddProgress, ColumnProfile, DatasetProfile, ValidationReport } from '../../shared/api/dataset-types';
import { validationRulesSchema } from '../../shared/api/dataset-schemas';
import { LatheError } from '../../shared/errors';
import { formatTime, table, toJson } from './format';
import { formatBytes } from '../../shared/format-bytes';
import { registerDatasetRm } from './datasets-rm-command';
import { withCore } from './with-core';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(10)));
  const s = String(v);
  return s.length > 24 ? `${s.slice(0, 23)}…` : s;
}

/** The human-readable `inspect` output: header line, one row per column, findings. */
export function profileText(p: DatasetProfile): string {
  const head = `${p.file.path} — ${p.rows.toLocaleString('en-US')} rows × ${p.columns.length} columns · ${p.format.toUpperCase()}${p.delimiter ? ` '${p.delimiter === '\t' ? '\\t' : p.delimiter}'` : ''} · ${p.encoding}${p.compression ? ` · ${p.compression}` : ''} · ${formatBytes(p.file.bytes)} · ${p.duration_ms} ms`;
  const rows = p.columns.map((c: ColumnProfile) => [String(c.position), c.name, c.inferred_type, cell(c.missing), cell(c.distinct), cell(c.mean), cell(c.std ?? c.std_seconds), cell(c.min), cell(c.q50), cell(c.max)]);
  const cols = p.columns.length ? table(['#', 'column', 'type', 'missing', 'distinct', 'mean', 'std', 'min', 'median', 'max'], rows) : '(no columns)';
  const findings = p.findings.map((f) => `  ${f.severity === 'error' ? '✗' : f.severity === 'warning' ? '!' : '·'} ${f.message}`).join('\n');
  return `${head}\n${cols}${findings ? `\n\nfindings:\n${findings}` : ''}`;
}

/** The human-readable validation report; failing examples show row, line and value. */
export function reportText(r: ValidationReport): string {
  const lines = [`${r.passed ? 'PASSED' : 'FAILED'}: ${r.dataset} ${r.digest.slice(0, 12)} ${r.file}`];
  for (const x of r.results) {
    lines.push(`  ${x.passed ? '✓' : '✗'} ${x.message}`);
    for (const e of x.examples) lines.push(`      row ${e.row}${e.line !== null ? ` (line ${e.line})` : ''}: ${e.value === null ? 'missing' : JSON.stringify(e.value)}`);
  }
  return lines.join('\n');
}

function progressPrinter(): (p: AddProgress) => void {
  const tty = process.stderr.isTTY;
  let lastPct = -1;
  return (p) => {
    if (p.phase === 'scan' || p.bytesTotal === 0) return;
    const pct = Math.floor((p.bytesDone / p.bytesTotal) * 100);
    if (p.phase === 'done') {
      if (tty) process.stderr.write('\r\x1b[K');
      return;
    }
    if (tty) process.stderr.write(`\r\x1b[K${p.phase === 'copy' ? 'importing' : 'hashing'} ${pct}% (${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)})${p.file ? ` ${p.file}` : ''}`);
    else if (pct >= lastPct + 25 || (pct === 100 && lastPct < 100)) {
      lastPct = pct;
      process.stderr.write(`${p.phase === 'copy' ? 'importing' : 'hashing'} ${pct}%\n`);
    }
  };
}

/** Runs `fn` with a core on the data directory and Ctrl-C wired to an AbortSignal. */
function withCancellableCore<T>(home: () => string, fn: (core: Core, signal: AbortSignal) => Promise<T>): Promise<T> {
  return withCore(home(), async (core) => {
    const controller = new AbortController();
    const onSigint = () => {
      console.error('\nlathe: cancelling…');
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    try {
      return await fn(core, controller.signal);
    } finally {
      process.off('SIGINT', onSigint);
    }
  });
}

function readRules(file: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new LatheError('INVALID_PARAMETER_VALUE', `${file}: not readable JSON (${(err as Error).message})`, { field: 'rules' });
  }
  const parsed = validationRulesSchema.safeParse(Array.isArray(raw) ? raw : (raw as { rules?: unknown }).rules);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LatheError('INVALID_PARAMETER_VALUE', `${file}: rule ${issue.path.join('.')}: ${issue.message}`, { field: 'rules' });
  }
  return parsed.data;
}

/**
 * `lathe datasets add|ls|versions|inspect|validate|rules|preview|diff|rm` (README "Datasets").
 * The commands work on the data directory directly (no server needed); `rm` goes through the
 * running server when there is one (datasets-rm-command.ts).
 */
export function registerDatasetCommands(program: Command, home: () => string): void {
  const datasets = program.command('datasets').description('register, version, inspect and validate datasets');

  datasets
    .command('add')
    .description('register a file or folder as a new version of a dataset (content digest); Ctrl-C cancels')
    .argument('<path>', 'file or folder (CSV, TSV, JSON Lines, Parquet; plain or gzip)')
    .requiredOption('--name <name>', 'dataset name (letters, digits, . _ -)')
    .option('--import', "copy into Lathe's content-addressed store (default: track in place, digest verified before each run)")
    .option('--description <text>', 'what the dataset is')
    .option('--json', 'print JSON')
    .action((p: string, opts: { name: string; import?: boolean; description?: string; json?: boolean }) =>
      withCancellableCore(home, async (core, signal) => {
        const res = await core.datasets.add({ path: p, name: opts.name, mode: opts.import ? 'import' : 'track', description: opts.description }, { onProgress: progressPrinter(), signal });
        if (opts.json) return console.log(toJson(res));
        const v = res.version;
        console.log(`${res.created ? 'registered' : 'unchanged:'} ${opts.name}@${v.digest.slice(0, 12)} (${v.mode}, ${v.fileCount} file${v.fileCount === 1 ? '' : 's'}, ${formatBytes(v.sizeBytes)})${res.created ? '' : ' — identical content is already this version'}`);
      }),
    );

  datasets
    .command('ls')
    .description('list datasets')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withCancellableCore(home, async (core) => {
        const list = core.datasets.list();
        if (opts.json) return console.log(toJson(list));
        console.log(table(['name', 'versions', 'latest', 'mode', 'size', 'rows', 'updated'], list.map((d) => [d.name, String(d.versionCount), d.latest?.digest.slice(0, 12) ?? '', d.latest?.mode ?? '', d.latest ? formatBytes(d.latest.sizeBytes) : '', d.latest?.rows?.toLocaleString('en-US') ?? '', formatTime(d.updatedAt)])));
      }),
    );

  datasets
    .command('versions')
    .description("list a dataset's versions, newest first, with the runs that used them")
    .argument('<name>')
    .option('--json', 'print JSON')
    .action((name: string, opts: { json?: boolean }) =>
      withCancellableCore(home, async (core) => {
        const list = core.datasets.versions(name);
        if (opts.json) return console.log(toJson(list));
        console.log(table(['version', 'mode', 'files', 'size', 'rows', 'created', 'used by'], list.map((v) => [v.digest.slice(0, 12), v.mode, String(v.fileCount), formatBytes(v.sizeBytes), v.rows?.toLocaleString('en-US') ?? '', formatTime(v.createdAt), v.usedBy.map((u) => u.runId.slice(0, 8)).join(' ')])));
      }),
    );

  datasets
    .command('inspect')
    .description('profile a dataset version or a file: types, missing, distinct, statistics, histograms, findings')
    .argument('<path_or_name>', 'a file or folder, or NAME[@VERSION]')
    .option('--file <path>', 'the file inside a folder dataset (default: the first tabular file)')
    .option('--refresh', 'recompute instead of using the cached profile')
    .option('--json', 'print the profile as JSON (README, "Datasets")')
    .action((target: string, opts: { file?: string; refresh?: boolean; json?: boolean }) =>
      withCancellableCore(home, async (core, signal) => {
        const p = await core.datasets.inspect(target, { file: opts.file, refresh: opts.refresh, signal });
        // --json: the DatasetProfile as is (field names of the fixtures' expected JSON; docs/datasets.md).
        console.log(opts.json ? toJson(p) : profileText(p));
      }),
    );

  datasets
    .command('validate')
    .description("check a dataset version (or a file) against its stored rules, or --rules FILE; exit status 1 when a rule fails")
    .argument('<path_or_name>', 'NAME[@VERSION] or a file')
    .option('--rules <file>', 'rules JSON ([{kind, column, …}]); with a dataset name, also stored as its rules')
    .option('--file <path>', 'the file inside a folder dataset')
    .option('--json', 'print the report as JSON')
    .action((target: string, opts: { rules?: string; file?: string; json?: boolean }) =>
      withCancellableCore(home, async (core, signal) => {
        const rules = opts.rules ? readRules(opts.rules) : undefined;
        const name = target.split('@')[0]!;
        if (rules && !target.includes('/') && core.datasets.store.dataset(name)) core.datasets.setRules(name, rules);
        const report = await core.datasets.validate(target, { rules, file: opts.file, signal });
        console.log(opts.json ? toJson(report) : reportText(report));
        if (!report.passed) process.exitCode = 1;
      }),
    );

  datasets
    .command('rules')
    .description("show a dataset's validation rules, or replace them with --set FILE")
    .argument('<name>')
    .option('--set <file>', 'rules JSON to store')
    .action((name: string, opts: { set?: string }) =>
      withCancellableCore(home, async (core) => {
        if (opts.set) core.datasets.setRules(name, readRules(opts.set));
        console.log(toJson(core.datasets.rules(name)));
      }),
    );

  datasets
    .command('preview')
    .description('print the first rows (typed as inspect reads them)')
    .argument('<path_or_name>')
    .option('--file <path>', 'the file inside a folder dataset')
    .addOption(new Option('--limit <n>', 'rows (at most 1000)').default(20).argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected 1–1000.');
      return n;
    }))
    .option('--json', 'print JSON')
    .action((target: string, opts: { file?: string; limit: number; json?: boolean }) =>
      withCancellableCore(home, async (core, signal) => {
        const p = await core.datasets.preview(target, { file: opts.file, limit: opts.limit, signal });
        console.log(opts.json ? toJson(p) : table(p.columns, p.rows.map((r) => r.map((v) => cell(v ?? '')))));
      }),
    );

  datasets
    .command('diff')
    .description('schema and statistics changes between two versions')
    .argument('<name>')
    .argument('<from>', 'version (digest prefix)')
    .argument('<to>', 'version (digest prefix)')
    .option('--json', 'print JSON')
    .action((name: string, from: string, to: string, opts: { json?: boolean }) =>
      withCancellableCore(home, async (core, signal) => {
        const d = await core.datasets.diff(name, from, to, { signal });
        if (opts.json) return console.log(toJson(d));
        console.log(`${name}: ${d.from.digest.slice(0, 12)} (${d.from.rows.toLocaleString('en-US')} rows) → ${d.to.digest.slice(0, 12)} (${d.to.rows.toLocaleString('en-US')} rows)`);
        for (const c of d.columns.filter((x) => x.status !== 'unchanged')) {
          console.log(`  ${c.status.padEnd(8)} ${c.name}${c.typeFrom !== c.typeTo ? ` (${c.typeFrom ?? '—'} → ${c.typeTo ?? '—'})` : ''}`);
          for (const s of c.stats.filter((x) => JSON.stringify(x.from) !== JSON.stringify(x.to))) console.log(`           ${s.field}: ${cell(s.from)} → ${cell(s.to)}`);
        }
      }),
    );

  registerDatasetRm(datasets, home);
}

import { createHash } from 'node:crypto';
import type { DatasetPreview, ProfileDiff, ValidationReport, ValidationRule } from '../../../shared/api/dataset-types';
import { LatheError } from '../../../shared/errors';
import type { DatasetService } from './dataset-service';
import { validateFile } from './validate/validator';
import { openProfiledSource } from './inspect/profiled-table';
import { PROFILER_VERSION } from './inspect/profiler';
import { diffProfiles } from './profile-diff';

/** Rows and bytes a preview returns at most (it never loads the whole file). */
export const PREVIEW_MAX_ROWS = 1000;
export const PREVIEW_MAX_BYTES = 2 * 1024 * 1024;
const CELL_MAX_CHARS = 500;

/**
 * Validates the file of a dataset version (or a path) against rules: the dataset's stored
 * rules unless `rules` is given. Reports of a version are cached per rule set.
 * @throws LatheError as DatasetService.locate; INVALID_PARAMETER_VALUE when there is no rule.
 */
export async function validateTarget(
  svc: DatasetService,
  target: string,
  opts: { file?: string; rules?: ValidationRule[]; signal?: AbortSignal; now?: number } = {},
): Promise<ValidationReport> {
  const loc = await svc.locate(target, opts.file, opts.signal);
  const rules = opts.rules ?? (loc.datasetName ? svc.rules(loc.datasetName) : []);
  if (rules.length === 0) {
    throw new LatheError('INVALID_PARAMETER_VALUE', loc.datasetName ? `Dataset '${loc.datasetName}' has no validation rules; set them with: lathe datasets rules ${loc.datasetName} --set rules.json` : 'No rules given (--rules FILE)', { field: 'rules' });
  }
  const key = createHash('sha256').update(JSON.stringify({ rules, file: loc.rel, profiler: PROFILER_VERSION })).digest('hex');
  if (loc.version) {
    const cached = svc.store.validation(loc.version.id, key);
    if (cached) return JSON.parse(cached) as ValidationReport;
  }
  const profile = await svc.inspect(target, { file: opts.file, signal: opts.signal });
  let report: ValidationReport;
  try {
    report = await validateFile(loc.abs, profile, rules, {
      dataset: loc.datasetName ?? loc.abs,
      digest: loc.version?.digest ?? loc.sha256,
      file: loc.rel,
      tempDir: svc.tempDir,
      now: opts.now ?? Date.now(),
      signal: opts.signal,
    });
  } catch (err) {
    // A delete during the read shows up as DuckDB errors: say what happened instead.
    svc.requireStillPresent(loc);
    throw err;
  }
  // No await from here to the write: the version cannot be deleted in between.
  svc.requireStillPresent(loc);
  if (loc.version) svc.store.putValidation(loc.version.id, key, JSON.stringify(report), report.passed, report.checkedAt);
  return report;
}

/**
 * The first rows of a dataset file, typed as the profile reads them and shown as text:
 * at most `limit` (≤ {@link PREVIEW_MAX_ROWS}) rows from `offset`, cut at
 * {@link PREVIEW_MAX_BYTES} of text, cells at 500 characters. DuckDB stops reading once it
 * has them.
 */
export async function previewTarget(svc: DatasetService, target: string, opts: { file?: string; offset?: number; limit?: number; signal?: AbortSignal } = {}): Promise<DatasetPreview> {
  const loc = await svc.locate(target, opts.file, opts.signal);
  const profile = await svc.inspect(target, { file: opts.file, signal: opts.signal });
  const limit = Math.min(Math.max(1, opts.limit ?? 200), PREVIEW_MAX_ROWS);
  const offset = Math.max(0, opts.offset ?? 0);
  const columns = profile.columns.map((c) => c.name);
  if (columns.length === 0 || offset >= Math.min(profile.rows, PREVIEW_MAX_ROWS)) return { columns, rows: [], truncated: profile.rows > offset };
  const src = await openProfiledSource(loc.abs, profile, svc.tempDir, { signal: opts.signal }).catch((err: unknown) => {
    svc.requireStillPresent(loc);
    throw err;
  });
  try {
    const casts = profile.columns.map((c) => `left(c${c.position}::VARCHAR, ${CELL_MAX_CHARS}) AS c${c.position}`).join(', ');
    const n = Math.min(limit, PREVIEW_MAX_ROWS - offset);
    const raw = await src.duck.all(`SELECT ${casts} FROM (${src.relation}) LIMIT ${n} OFFSET ${offset}`).catch((err: unknown) => {
      svc.requireStillPresent(loc);
      throw err;
    });
    const rows: Array<Array<string | null>> = [];
    let bytes = 0;
    let truncated = offset + raw.length < profile.rows;
    for (const r of raw) {
      const row = profile.columns.map((c) => (r[`c${c.position}`] as string | null) ?? null);
      bytes += row.reduce((s, v) => s + (v?.length ?? 0), 0);
      if (bytes > PREVIEW_MAX_BYTES) {
        truncated = true;
        break;
      }
      rows.push(row);
    }
    return { columns, rows, truncated };
  } finally {
    src.close();
  }
}

/**
 * Compares the profiles of two versions of a dataset (the same file path in both, or each
 * version's primary file): schema changes and per-column statistics side by side.
 */
export async function diffVersions(svc: DatasetService, name: string, from: string, to: string, opts: { file?: string; signal?: AbortSignal } = {}): Promise<ProfileDiff> {
  const a = svc.resolve(`${name}@${from}`);
  const b = svc.resolve(`${name}@${to}`);
  const pa = await svc.inspect(`${name}@${a.row.digest}`, { file: opts.file, signal: opts.signal });
  const pb = await svc.inspect(`${name}@${b.row.digest}`, { file: opts.file, signal: opts.signal });
  return diffProfiles({ digest: a.row.digest, profile: pa }, { digest: b.row.digest, profile: pb });
}

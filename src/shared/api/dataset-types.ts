/**
 * Shapes of the Datasets feature shared by the core, the API contract, the CLI and the UI.
 * Field names of {@link ColumnProfile} follow the reference fixtures
 * (`../shared/fixtures/datasets/README.md`, "expected.json"), so a profile printed by
 * `lathe datasets inspect --json` compares field by field with them.
 */

/** One of the fixtures' inferred types. */
export type InferredType =
  | 'integer'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'string'
  | 'timestamp'
  | 'timestamp_tz'
  | 'date'
  | 'list'
  | 'struct'
  | 'mixed'
  | 'empty';

/**
 * A scalar as it appears in a profile: numbers as JSON numbers, except integers beyond
 * ±(2^53−1) and DECIMAL values, which are exact decimal strings; timestamps as ISO 8601
 * (`…Z`-less for naive ones, `+00:00` for UTC-normalised ones); booleans as booleans;
 * non-finite floats as "NaN", "Infinity", "-Infinity".
 */
export type ProfileValue = number | string | boolean | null;

/** numpy.histogram(values, bins=10) over the finite non-missing values. */
export interface Histogram {
  bins: number;
  /** bins + 1 edges; equal width over [min, max] (±0.5 around a single value). */
  edges: number[];
  counts: number[];
}

export interface ColumnProfile {
  name: string;
  /** 1-based position in the file (columns are keyed by position: names may repeat). */
  position: number;
  /** The name in the file when it differs from `name` (duplicate or empty header). */
  raw_name?: string;
  inferred_type: InferredType;
  /** The DuckDB type the values were read as (after Lathe's corrections). */
  duckdb_type: string;
  missing: number;
  /** Exact count(DISTINCT x) over non-missing values. */
  distinct: number;
  mean: ProfileValue;
  /** Sample standard deviation (ddof 1) over finite values; null for timestamps (see std_seconds). */
  std: number | null;
  min: ProfileValue;
  max: ProfileValue;
  /** Exact quantiles, linear interpolation (DuckDB quantile_cont, pandas quantile). */
  q25: ProfileValue;
  q50: ProfileValue;
  q75: ProfileValue;
  /** [value, count], by count descending then the value's text ascending. */
  top5: Array<[ProfileValue, number]>;
  histogram?: Histogram;
  /** Timestamps and dates: the same 10 equal-width bins over [min, max], edges as ISO 8601. */
  time_histogram?: { bins: number; edges: string[]; counts: number[] };
  outliers_iqr?: number;
  outliers_z3?: number;
  nan_count?: number;
  posinf_count?: number;
  neginf_count?: number;
  empty_strings?: number;
  whitespace_padded?: number;
  length_min?: number;
  length_max?: number;
  type_counts?: Record<string, number>;
  numeric_share?: number;
  non_numeric_examples?: string[];
  /** Mixed columns: up to 3 example values per type. */
  type_examples?: Record<string, string[]>;
  std_seconds?: number;
  /** Cells counted as missing because they hold a null marker ('NA', 'N/A', '-', …), by marker. */
  missing_markers?: Record<string, number>;
}

export type FindingSeverity = 'error' | 'warning' | 'info';

export type FindingKind =
  | 'empty_file'
  | 'no_data_rows'
  | 'unreadable'
  | 'encoding'
  | 'bom'
  | 'compression'
  | 'line_endings'
  | 'mixed_line_endings'
  | 'preamble'
  | 'ragged_row'
  | 'duplicate_header'
  | 'empty_header'
  | 'type_break'
  | 'decimal_comma'
  | 'missing_markers'
  | 'marker_like_text'
  | 'quoted_empty'
  | 'whitespace_padded'
  | 'big_integer'
  | 'timezone_mixed'
  | 'non_finite'
  | 'non_standard_json'
  | 'malformed_json'
  | 'mixed_type'
  | 'out_of_range_timestamp'
  | 'duckdb_autodetect'
  | 'strict_mode';

/** A diagnostic about the file: never a crash, always a finding. */
export interface Finding {
  kind: FindingKind;
  severity: FindingSeverity;
  message: string;
  /** 1-based physical line in the (decompressed) file, where one applies. */
  line?: number;
  /** Column name, where one applies. */
  column?: string;
  /** The offending value (text), where one applies. */
  value?: string;
  /** Extra structured facts (counts, positions…). */
  details?: Record<string, unknown>;
}

/** Record-end line terminators; `sampled` when only the first bytes were scanned. */
export interface LineEndings {
  CRLF: number;
  LF: number;
  CR: number;
  sampled: boolean;
}

export type DatasetFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'parquet';

/** Everything `inspect` reports about one file. Cached per file content (SHA-256). */
export interface DatasetProfile {
  /** Profiler revision; a new revision recomputes cached profiles. */
  profiler: string;
  file: { path: string; bytes: number; sha256: string | null };
  format: DatasetFormat;
  compression: 'gzip' | 'zstd' | null;
  /** 'UTF-8', 'UTF-8 with BOM', 'UTF-16LE', 'UTF-16BE', 'ISO-8859-1', 'windows-1252', … ('binary' for Parquet). */
  encoding: string;
  delimiter: string | null;
  quote: string | null;
  header: boolean | null;
  /** Lines skipped before the header (preamble). */
  skip_rows: number;
  line_endings: LineEndings | null;
  rows: number;
  columns: ColumnProfile[];
  findings: Finding[];
  /**
   * A DuckDB SELECT reproducing the table the figures come from: the read with Lathe's
   * dialect and types, plus its corrections (null markers, decimal commas, time zones).
   * Its columns are c1…cN by position.
   */
  read: string;
  /** DuckDB read a UTF-8 copy of the file (UTF-16, windows-1252…): `read` names that temporary copy. */
  transcoded: boolean;
  /**
   * How row i (0-based, in file order) maps to its physical line: first + i + line breaks
   * inside quoted values of earlier rows (when `multiline`) + skipped records before it.
   */
  row_lines: { first: number; multiline: boolean; skipped: number[] } | null;
  /** Every figure is exact; approximate ones (none today) would be listed here by field. */
  approximate: string[];
  computed_at: number;
  duration_ms: number;
}

export type DatasetMode = 'track' | 'import';

export interface DatasetFileEntry {
  /** POSIX relative path inside the version ('' parts never; a single file: its base name). */
  path: string;
  size: number;
  sha256: string;
}

export interface DatasetVersion {
  datasetName: string;
  /** Content digest: SHA-256 of the manifest (paths, sizes, per-file SHA-256). */
  digest: string;
  mode: DatasetMode;
  /** Registered path (track: where the data lives; import: where it came from). */
  sourcePath: string;
  kind: 'file' | 'folder';
  fileCount: number;
  sizeBytes: number;
  /** Rows of the primary file once profiled, else null. */
  rows: number | null;
  createdAt: number;
  /** Runs that used this version (run ids), newest first. */
  usedBy: Array<{ runId: string; runName: string; status: string; startTime: number }>;
}

/** What deleting a dataset or a version removed (`datasets.delete`, `lathe datasets rm`). */
export interface DatasetDeleteResult {
  name: string;
  /** Nothing was deleted: the figures say what would go. */
  dryRun: boolean;
  /** True when the whole dataset went (its rules and description too), not only versions. */
  datasetDeleted: boolean;
  versions: Array<{ digest: string; mode: DatasetMode; kind: 'file' | 'folder'; fileCount: number; sizeBytes: number; sourcePath: string }>;
  /** Bytes given back to the file system: imported files no remaining version holds. */
  freedBytes: number;
  /** Stored (imported) files removed from Lathe's content store. */
  removedFiles: number;
  /** Stored files kept because another version or dataset holds the same content. */
  sharedFiles: number;
  /** Tracked paths left untouched on disk: Lathe only forgot them. */
  trackedPaths: string[];
  /** Lathe's own files it could not remove (orphans, harmless; the records are gone). */
  leftOnDisk: string[];
}

export interface Dataset {
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
  versionCount: number;
  latest: DatasetVersion | null;
  rules: ValidationRule[];
}

/** A validation rule stored with a dataset. */
export type ValidationRule =
  | { kind: 'column_exists'; column: string; type?: InferredType }
  | { kind: 'not_null'; column: string }
  | { kind: 'range'; column: string; min?: number | string; max?: number | string }
  | { kind: 'allowed_values'; column: string; values: Array<string | number | boolean> }
  | { kind: 'regex'; column: string; pattern: string }
  | { kind: 'unique'; column: string }
  | { kind: 'row_count'; min?: number; max?: number };

export interface RuleResult {
  rule: ValidationRule;
  passed: boolean;
  /** Rows (or columns) failing the rule. */
  failing: number;
  /** Rows checked. */
  checked: number;
  message: string;
  /** Up to 5 failing rows: 1-based data row, physical line when known, the value as text. */
  examples: Array<{ row: number; line: number | null; value: string | null }>;
}

export interface ValidationReport {
  dataset: string;
  digest: string;
  file: string;
  passed: boolean;
  results: RuleResult[];
  checkedAt: number;
}

/** A run's input as Lathe recorded it. */
export interface RunDatasetInput {
  name: string;
  digest: string;
  mode: DatasetMode;
  sourcePath: string;
  /** Where the run saw it: /data/NAME in a container, the host path for the process runtime. */
  mountPath: string;
  context: string;
}

/** MLflow's log-inputs shape (`dataset_inputs` of a run), as the MLflow API returns it. */
export interface MlflowDatasetInput {
  tags: Array<{ key: string; value: string }>;
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
}

export interface ProfileDiffColumn {
  name: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  typeFrom: InferredType | null;
  typeTo: InferredType | null;
  /** Side-by-side figures for the stats that differ (or all, for changed columns). */
  stats: Array<{ field: string; from: ProfileValue; to: ProfileValue }>;
}

export interface ProfileDiff {
  from: { digest: string; rows: number };
  to: { digest: string; rows: number };
  columns: ProfileDiffColumn[];
}

export interface DatasetPreview {
  columns: string[];
  rows: Array<Array<string | null>>;
  /** True when the cap (rows or bytes) cut the preview short. */
  truncated: boolean;
}

/** Progress of a long add (hashing or copying). */
export interface AddProgress {
  phase: 'scan' | 'hash' | 'copy' | 'done';
  bytesDone: number;
  bytesTotal: number;
  file?: string;
}

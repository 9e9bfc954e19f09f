import Table from 'cli-table3';
import type { ExecutionInfo, MetricPoint, Run } from '../../shared/api/types';

/** JSON cannot carry NaN or ±Infinity; like MLflow, the CLI writes them as strings. */
export function jsonNumber(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  return v;
}

/** Serialises a value for `--json` output: non-finite numbers become strings, 2-space indent. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? jsonNumber(v) : v), 2);
}

export function formatTime(ms: number | null): string {
  if (ms == null) return '';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** "1h 02m 03s"-style duration between two ms timestamps (end defaults to now). */
export function formatDuration(startMs: number, endMs: number | null, now = Date.now()): string {
  const s = Math.max(0, Math.round(((endMs ?? now) - startMs) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h ${String(m).padStart(2, '0')}m ${String(sec).padStart(2, '0')}s`;
  if (m) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return String(jsonNumber(v));
  return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '');
}

/** A plain table (no colours, so it survives pipes and SSH). */
export function table(head: string[], rows: string[][]): string {
  const t = new Table({ head, style: { head: [], border: [], compact: true }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  t.push(...rows);
  return t.toString();
}

export function metricsSummary(metrics: MetricPoint[], max = 3): string {
  return metrics
    .slice(0, max)
    .map((m) => `${m.key}=${formatMetric(m.value)}`)
    .join(' ') + (metrics.length > max ? ` (+${metrics.length - max})` : '');
}

export function runDetail(run: Run, experimentName: string, execution: ExecutionInfo | null = null): string {
  const i = run.info;
  const lines = [
    `Run ${i.runId}  ${i.name}`,
    `  experiment  ${experimentName} (${i.experimentId})`,
    `  status      ${i.status}`,
    `  started     ${formatTime(i.startTime)}`,
    `  ended       ${formatTime(i.endTime) || '-'}`,
    `  duration    ${formatDuration(i.startTime, i.endTime)}`,
    `  artifacts   ${i.artifactUri}`,
  ];
  if (execution) {
    lines.push(
      `  runtime     ${execution.runtime}${execution.image ? ` (${execution.image})` : ''}`,
      `  command     ${execution.command.join(' ')}`,
      `  exit code   ${execution.exitCode ?? '-'}`,
    );
    if (execution.statusMessage) lines.push(`  reason      ${execution.statusMessage}`);
    if (execution.gpus !== null) lines.push(`  gpus        ${Array.isArray(execution.gpus) ? execution.gpus.join(',') : execution.gpus}`);
  }
  const section = (title: string, rows: string[][]) => {
    lines.push('', title);
    lines.push(rows.length ? table(rows[0]!.length === 2 ? ['key', 'value'] : ['key', 'value', 'step', 'time'], rows) : '  (none)');
  };
  section('Params', Object.entries(run.params).sort().map(([k, v]) => [k, v]));
  section('Metrics (latest)', run.metrics.map((m) => [m.key, formatMetric(m.value), String(m.step), formatTime(m.timestamp)]));
  section('Tags', Object.entries(run.tags).sort().map(([k, v]) => [k, v.length > 80 ? `${v.slice(0, 77)}...` : v]));
  return lines.join('\n');
}

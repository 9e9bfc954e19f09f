import type { RunInfo } from '../../../shared/api/types';

/** One size format for the UI and the CLI. */
export { formatBytes } from '../../../shared/format-bytes';

/** Display formats shared by the tables and the charts. Times are local, 24-hour, unambiguous. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const total = Math.floor(ms / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d}d ${pad(h)}h ${pad(m)}m`;
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** NaN and ±Infinity are legitimate metric values (a diverged loss) and are shown as such. */
export function formatMetricValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '−Inf';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (Number.isInteger(v) && abs < 1e9) return String(v);
  if (abs >= 1e6 || abs < 1e-4) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(5)));
}

/** Run duration: to the end time, or to `now` while the run is RUNNING; unknown otherwise. */
export function runDuration(info: Pick<RunInfo, 'status' | 'startTime' | 'endTime'>, now: number): number | null {
  if (!info.startTime) return null;
  if (info.endTime !== null) return info.endTime - info.startTime;
  return info.status === 'RUNNING' ? now - info.startTime : null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** For narrow table cells: `Nov 29 08:41`, with the year only when it is not this year. */
export function formatShortDateTime(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return '—';
  const d = new Date(ms);
  const year = d.getFullYear() === new Date(now).getFullYear() ? '' : `${d.getFullYear()} `;
  return `${year}${MONTHS[d.getMonth()]} ${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}


/** A run's GPU request as people say it: `none`, `2`, `0, 2`, `all`. */
export function formatGpus(gpus: number | string[] | 'all' | null | undefined): string {
  if (gpus === null || gpus === undefined || gpus === 0) return 'none';
  if (Array.isArray(gpus)) return gpus.join(', ');
  return String(gpus);
}

import { useMemo } from 'react';
import type { ColumnProfile, ProfileValue } from '../../../../shared/api/dataset-types';
import { useColorScheme } from '../../hooks/use-color-scheme';
import { readChartColors } from '../../lib/theme-colors';
import { EChart } from '../echart';
import { columnChartOption, valueLabel } from '../dataset-charts/column-chart-option';
import './column-card.css';

const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(\+00:00)?$/;

/**
 * A profile value for a stats cell: numbers to 10 significant digits (no float noise, no
 * rounding 500000.5 to 500001), timestamps without the 'T' and sub-seconds (the title shows
 * the full value), the rest as text.
 */
export function showValue(v: ProfileValue | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString('en-US');
    const a = Math.abs(v);
    return a !== 0 && (a >= 1e12 || a < 1e-4) ? v.toExponential(5) : String(Number(v.toPrecision(10)));
  }
  if (typeof v === 'boolean') return String(v);
  const m = ISO.exec(v);
  if (m) return `${m[1]} ${m[2]}${m[4] ? ' UTC' : ''}`;
  return v;
}

function Stat({ label, value, title }: { label: string; value: ProfileValue | undefined; title?: string }) {
  const text = showValue(value);
  return (
    <div className="ds-stat" title={title}>
      <span className="ds-stat-label">{label}</span>
      <span className="ds-stat-value" title={typeof value === 'string' ? value : text}>
        {text}
      </span>
    </div>
  );
}

function statsFor(c: ColumnProfile): Array<[string, ProfileValue | undefined, string?]> {
  switch (c.inferred_type) {
    case 'integer':
    case 'float':
    case 'decimal': {
      const rows: Array<[string, ProfileValue | undefined, string?]> = [
        ['mean', c.mean],
        ['std', c.std, 'sample standard deviation (ddof 1)'],
        ['min', c.min],
        ['q25', c.q25, 'exact, linear interpolation'],
        ['median', c.q50, 'exact, linear interpolation'],
        ['q75', c.q75, 'exact, linear interpolation'],
        ['max', c.max],
        ['distinct', c.distinct],
        ['outliers IQR', c.outliers_iqr, 'values beyond q25 − 1.5·IQR or q75 + 1.5·IQR'],
        ['outliers 3σ', c.outliers_z3, '|x − mean| > 3·std'],
      ];
      if (c.nan_count || c.posinf_count || c.neginf_count) rows.push(['NaN / ±Inf', `${c.nan_count ?? 0} / ${c.posinf_count ?? 0} / ${c.neginf_count ?? 0}`]);
      return rows;
    }
    case 'timestamp':
    case 'timestamp_tz':
    case 'date':
      return [
        ['min', c.min],
        ['median', c.q50],
        ['max', c.max],
        ['mean', c.mean],
        ['std (s)', c.std_seconds ?? null],
        ['distinct', c.distinct],
      ];
    case 'boolean':
      return [
        ['share true', c.mean],
        ['distinct', c.distinct],
      ];
    case 'mixed':
      return [
        ['distinct', c.distinct],
        ['numeric share', c.numeric_share ?? null],
        ['types', Object.entries(c.type_counts ?? {}).map(([t, n]) => `${t} ${n}`).join(', ')],
        ['non-numeric', (c.non_numeric_examples ?? []).map((v) => JSON.stringify(v)).join(', ') || null],
      ];
    case 'string':
      return [
        ['distinct', c.distinct],
        ['length', c.length_min === undefined ? null : `${c.length_min}–${c.length_max}`],
        ['empty', c.empty_strings],
        ['padded', c.whitespace_padded, 'leading or trailing whitespace'],
        ['min', c.min],
        ['max', c.max],
      ];
    default:
      return [['distinct', c.distinct]];
  }
}

interface ColumnCardProps {
  column: ColumnProfile;
  rows: number;
  /** Findings about this column. */
  notes: number;
}

/** One column of a profile: type, missing share, its statistics and a histogram or top-values chart. */
export function ColumnCard({ column: c, rows, notes }: ColumnCardProps) {
  const scheme = useColorScheme();
  const option = useMemo(() => columnChartOption(c, readChartColors(scheme)), [c, scheme]);
  const missingPct = rows ? (c.missing / rows) * 100 : 0;
  const markers = c.missing_markers ? Object.entries(c.missing_markers) : [];
  return (
    <article className="ds-column card" data-testid="column-card" data-column={c.name}>
      <header className="ds-column-head">
        <span className="ds-column-pos">{c.position}</span>
        <h3 className="ds-column-name" title={c.raw_name !== undefined ? `written "${c.raw_name}" in the file` : c.name}>
          {c.name}
        </h3>
        <span className={`ds-type ds-type-${c.inferred_type}`} title={`DuckDB type ${c.duckdb_type}`}>
          {c.inferred_type}
        </span>
        {notes > 0 && (
          <span className="ds-column-notes" title={`${notes} finding${notes === 1 ? '' : 's'} about this column`}>
            ! {notes}
          </span>
        )}
      </header>
      <div className="ds-missing" title={markers.length ? `missing markers: ${markers.map(([m, n]) => `'${m}' ×${n}`).join(', ')}` : undefined}>
        <div className="ds-missing-bar">
          <div className="ds-missing-fill" style={{ width: `${Math.min(100, missingPct)}%` }} />
        </div>
        <span className="ds-missing-text" data-testid="column-missing">
          {c.missing.toLocaleString('en-US')} missing ({missingPct < 0.1 && c.missing > 0 ? '<0.1' : missingPct.toFixed(1)}%){markers.length ? ` · ${markers.length} marker${markers.length === 1 ? '' : 's'}` : ''}
        </span>
      </div>
      <div className={`ds-stats${c.inferred_type.startsWith('timestamp') || c.inferred_type === 'date' ? ' ds-stats-wide' : ''}`}>
        {statsFor(c).map(([label, value, title]) => (
          <Stat key={label} label={label} value={value} title={title} />
        ))}
      </div>
      {option ? (
        <div className="ds-chart-box">
          <div className="ds-chart-caption">{c.histogram || c.time_histogram ? 'histogram (10 equal-width bins)' : 'top values'}</div>
          <EChart replace option={option} className="ds-chart" testId={c.histogram || c.time_histogram ? 'column-histogram' : 'column-top-values'} />
        </div>
      ) : c.inferred_type === 'empty' ? (
        <p className="muted ds-chart-empty">No values.</p>
      ) : (
        <ul className="ds-top-list">
          {c.top5.map(([v, n]) => (
            <li key={String(v)}>
              <span>{valueLabel(v, 40)}</span> <span className="muted">×{n}</span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

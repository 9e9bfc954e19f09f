import { useCallback, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CompareToolbar } from '../components/compare/compare-toolbar';
import { useCompareStore } from '../components/compare/compare-store';
import { MetricChartCard } from '../components/compare/metric-chart-card';
import { ParallelCoords } from '../components/compare/parallel-coords';
import { ParamsDiff, differingKeys } from '../components/compare/params-diff';
import { RunLegend } from '../components/compare/run-legend';
import { ScatterPlot } from '../components/compare/scatter-plot';
import { useCompareData } from '../components/compare/use-compare-data';
import { ErrorPanel } from '../components/error-panel';
import { LazyMount } from '../components/compare/lazy-mount';
import type { RunStyle } from '../lib/compare-chart-option';
import { runColor } from '../lib/run-colors';
import { useUiStore } from '../state/ui-store';
import '../components/compare/compare.css';

/** Charts shown before the reader picks: enough for a sweep's metrics, few enough to scan. */
const DEFAULT_CHARTS = 24;
const isSystem = (k: string) => k.startsWith('system/');

/**
 * The compare view (`/compare?runs=a,b,c[&group=param]`): the selected runs' metrics overlaid
 * (charts fetched as they scroll into view), system metrics, parallel coordinates, a scatter
 * of any two values, and the params side by side.
 */
export function ComparePage() {
  const [params, setParams] = useSearchParams();
  const runIds = useMemo(() => [...new Set((params.get('runs') ?? '').split(',').map((s) => s.trim()).filter(Boolean))], [params]);
  const groupBy = params.get('group');
  const chosenKeys = useCompareStore((s) => s.chartKeys);
  const lastExperimentId = useUiStore((s) => s.lastExperimentId);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());

  const wantedMetrics = useMemo(() => chosenKeys ?? [], [chosenKeys]);
  const data = useCompareData(runIds, wantedMetrics);
  const runs = useMemo(() => data.runs.data ?? [], [data.runs.data]);

  const styles = useMemo(() => new Map<string, RunStyle>(runs.map((r, i) => [r.info.runId, { name: r.info.name || r.info.runId.slice(0, 8), color: runColor(i) }])), [runs]);
  const userKeys = data.metricKeys.filter((k) => !isSystem(k));
  const systemKeys = data.metricKeys.filter(isSystem);
  const chartKeys = chosenKeys ?? userKeys.slice(0, DEFAULT_CHARTS);
  const paramKeys = useMemo(() => [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort(), [runs]);
  const live = runs.some((r) => r.info.status === 'RUNNING');

  const groups = useMemo(() => {
    if (!groupBy) return null;
    const byName = new Map<string, string[]>();
    for (const r of runs) {
      const name = `${groupBy}=${r.params[groupBy] ?? '(none)'}`;
      byName.set(name, [...(byName.get(name) ?? []), r.info.runId]);
    }
    return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })).map(([name, ids], i) => ({ name, color: runColor(i), runIds: ids }));
  }, [groupBy, runs]);
  const groupOf = useMemo(() => {
    if (!groups) return null;
    const of = new Map(groups.flatMap((g) => g.runIds.map((id) => [id, g.name] as const)));
    return (runId: string) => of.get(runId) ?? '(none)';
  }, [groups]);
  const groupColor = useCallback((name: string) => groups?.find((g) => g.name === name)?.color ?? '#888', [groups]);

  const toggle = (id: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const setGroupBy = (p: string | null) => {
    const next = new URLSearchParams(params);
    if (p) next.set('group', p);
    else next.delete('group');
    setParams(next, { replace: true });
  };

  const diffParams = useMemo(() => differingKeys(runs, paramKeys), [runs, paramKeys]);
  const shownRuns = useMemo(() => runs.filter((r) => !hidden.has(r.info.runId)), [runs, hidden]);
  const back = lastExperimentId ? `/experiments/${encodeURIComponent(lastExperimentId)}` : '/';
  const chartProps = { runIds: runs.map((r) => r.info.runId), runs: styles, hidden, groupOf, groupColor, live };

  if (runIds.length === 0) {
    return (
      <div className="empty-state" data-testid="compare-empty">
        <div className="empty-title">No runs to compare</div>
        <p>
          Select runs in the <Link to={back}>runs table</Link> and press Compare.
        </p>
      </div>
    );
  }

  return (
    <div className="compare-page" data-testid="compare-page">
      <div className="page-head">
        <Link to={back} className="muted back-link">
          ← Runs
        </Link>
        <h1 className="page-title" data-testid="page-title">
          Compare {runIds.length} run{runIds.length === 1 ? '' : 's'}
        </h1>
        {data.missing.length > 0 && (
          <span className="error-text" data-testid="compare-missing">
            {data.missing.length} run{data.missing.length === 1 ? '' : 's'} not found
          </span>
        )}
      </div>
      {data.runs.error && <ErrorPanel error={data.runs.error} onRetry={data.runs.refetch} />}
      <CompareToolbar paramKeys={paramKeys} metricKeys={data.metricKeys} chartKeys={chartKeys} groupBy={groupBy} onGroupBy={setGroupBy} live={live} />
      <RunLegend runs={runs} styles={styles} hidden={hidden} onToggle={toggle} onShowOnly={(ids) => setHidden(ids ? new Set(runs.map((r) => r.info.runId).filter((id) => !ids.includes(id))) : new Set())} groups={groups} />
      {data.runs.loading || data.keys.loading ? (
        <div className="muted loading">Loading runs…</div>
      ) : (
        <>
          <section className="compare-section" aria-label="Metrics">
            <h2 className="section-label">Metrics</h2>
            {chartKeys.length === 0 ? (
              <div className="muted compare-empty">These runs have logged no metrics yet.</div>
            ) : (
              <div className="compare-grid" data-testid="compare-charts">
                {chartKeys.map((k) => (
                  <MetricChartCard key={k} metricKey={k} {...chartProps} />
                ))}
              </div>
            )}
          </section>
          {systemKeys.length > 0 && (
            <section className="compare-section" aria-label="System metrics">
              <h2 className="section-label">System metrics</h2>
              <div className="compare-grid" data-testid="compare-system-charts">
                {systemKeys.map((k) => (
                  <MetricChartCard key={k} metricKey={k} {...chartProps} />
                ))}
              </div>
            </section>
          )}
          <LazyMount minHeight={420} className="compare-pair">
            <section className="compare-section card compare-panel" aria-label="Parallel coordinates">
              <h2 className="section-label">Parallel coordinates</h2>
              <ParallelCoords runs={shownRuns} styles={styles} latest={data.latest} metricKeys={userKeys.length ? userKeys : data.metricKeys} />
            </section>
            <section className="compare-section card compare-panel" aria-label="Scatter">
              <h2 className="section-label">Scatter</h2>
              <ScatterPlot
                runs={shownRuns}
                styles={styles}
                latest={data.latest}
                paramKeys={paramKeys}
                metricKeys={data.metricKeys}
                defaultX={diffParams[0] ? { kind: 'param', key: diffParams[0] } : userKeys[1] ? { kind: 'metric', key: userKeys[1] } : undefined}
                defaultY={userKeys[0] ? { kind: 'metric', key: userKeys[0] } : undefined}
              />
            </section>
          </LazyMount>
          <LazyMount minHeight={200}>
            <section className="compare-section card compare-panel" aria-label="Params">
              <h2 className="section-label">Params</h2>
              <ParamsDiff runs={runs} styles={styles} />
            </section>
          </LazyMount>
        </>
      )}
    </div>
  );
}

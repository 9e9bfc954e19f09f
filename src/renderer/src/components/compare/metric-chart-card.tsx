import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { toApiError, type ApiError } from '../../api/client';
import { useColorScheme } from '../../hooks/use-color-scheme';
import { useFeedEvents } from '../../hooks/use-feed-events';
import { buildCompareChartOption, formatX, type RunStyle } from '../../lib/compare-chart-option';
import type { ECharts } from '../../lib/echarts';
import { readChartColors } from '../../lib/theme-colors';
import type { MetricChart } from '../../../../shared/api/search-types';
import { EChart } from '../echart';
import { useCompareStore } from './compare-store';
import { fetchChart } from './fetch-chart';

interface MetricChartCardProps {
  metricKey: string;
  runIds: string[];
  runs: Map<string, RunStyle>;
  hidden: ReadonlySet<string>;
  groupOf: ((runId: string) => string) | null;
  groupColor(group: string): string;
  /** Some run is still RUNNING: refresh on its metric events. */
  live: boolean;
}

/**
 * One bucket per four pixels: with first/min/max/last per bucket that is about a point a
 * pixel, every spike kept; it also lets the server answer from its 64-step block summaries
 * instead of the raw history on long runs (a 10,000-step series over ~460 px). Zooming in
 * brings finer buckets.
 */
const bucketsFor = (width: number) => Math.min(1000, Math.max(40, Math.round(width / 4 / 10) * 10));

/**
 * One metric of the compared runs. Fetched only once it comes near the viewport (and
 * refreshed live only while it is there); zooming (wheel, drag, double-click to reset) asks
 * the server for finer buckets over the new x range, and live refreshes keep the zoom.
 */
export function MetricChartCard({ metricKey, runIds, runs, hidden, groupOf, groupColor, live }: MetricChartCardProps) {
  // Only the settings a chart draws with: the scatter, parallel and diff settings must not redraw every chart.
  const { xAxis, smoothing, logY, zoomReset, syncZoom, sharedZoom, zoomAll } = useCompareStore(
    useShallow((s) => ({ xAxis: s.xAxis, smoothing: s.smoothing, logY: s.logY, zoomReset: s.zoomReset, syncZoom: s.syncZoom, sharedZoom: s.sharedZoom, zoomAll: s.zoomAll })),
  );
  const scheme = useColorScheme();
  const cardRef = useRef<HTMLDivElement>(null);
  const [seen, setSeen] = useState(false);
  const inView = useRef(false);
  const stale = useRef(false);
  const [buckets, setBuckets] = useState(0);
  const [zoom, setZoom] = useState<[number, number] | null>(syncZoom ? sharedZoom.range : null);
  // In sync, a zoom goes to every chart through the store; the chart's own handlers read this.
  const syncRef = useRef(syncZoom);
  syncRef.current = syncZoom;
  const zoomTo = useCallback((range: [number, number] | null) => (syncRef.current ? zoomAll(range) : setZoom(range)), [zoomAll]);
  const [state, setState] = useState<{ data?: MetricChart; error?: ApiError; loading: boolean }>({ loading: false });
  const chartRef = useRef<ECharts | null>(null);
  const gen = useRef(0);

  // Measured before the first paint, so charts already on screen start fetching without waiting a frame for the observers.
  useLayoutEffect(() => {
    const r = cardRef.current?.getBoundingClientRect();
    if (!r) return;
    setBuckets(bucketsFor(r.width));
    if (r.top < window.innerHeight + 200 && r.bottom > -200) setSeen(true);
  }, []);

  useEffect(() => {
    const el = cardRef.current;
    if (!el) return;
    const io = new IntersectionObserver(
      ([entry]) => {
        inView.current = !!entry?.isIntersecting;
        if (inView.current) setSeen(true);
      },
      { rootMargin: '200px 0px' },
    );
    io.observe(el);
    const ro = new ResizeObserver(() => setBuckets(bucketsFor(el.getBoundingClientRect().width)));
    ro.observe(el);
    return () => {
      io.disconnect();
      ro.disconnect();
    };
  }, []);

  const runKey = runIds.join(',');
  const load = useCallback(async () => {
    if (!buckets) return;
    const my = ++gen.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await fetchChart({ runIds: runKey.split(','), key: metricKey, xAxis, buckets, xMin: zoom?.[0], xMax: zoom?.[1] });
      if (my === gen.current) setState({ data, loading: false });
    } catch (err) {
      if (my === gen.current) setState((s) => ({ data: s.data, error: toApiError(err), loading: false }));
    }
  }, [runKey, metricKey, xAxis, buckets, zoom]);

  useEffect(() => {
    if (seen) void load();
  }, [seen, load]);

  // A new x axis has other units: the old zoom means nothing there.
  useEffect(() => setZoom(null), [xAxis, zoomReset]);
  useEffect(() => {
    if (syncRef.current && sharedZoom.seq > 0) setZoom(sharedZoom.range);
  }, [sharedZoom]);

  const runSet = useMemo(() => new Set(runIds), [runIds]);
  useFeedEvents(
    () => {
      if (inView.current) void load();
      else stale.current = true;
    },
    { match: (e) => live && e.kind === 'metrics' && e.runId !== undefined && runSet.has(e.runId), debounceMs: 700, maxWaitMs: 2000 },
  );
  useEffect(() => {
    const el = cardRef.current;
    if (!el || !live) return;
    // Catch up on updates that arrived while this chart was scrolled away.
    const io = new IntersectionObserver(([entry]) => {
      if (entry?.isIntersecting && stale.current) {
        stale.current = false;
        void load();
      }
    });
    io.observe(el);
    return () => io.disconnect();
  }, [live, load]);

  const colors = useMemo(() => readChartColors(scheme), [scheme]);
  const option = useMemo(
    () => (state.data ? buildCompareChartOption({ chart: state.data, runs, hidden, settings: { xAxis, smoothing, logY, zoom }, groupOf, groupColor, colors }) : null),
    [state.data, runs, hidden, xAxis, smoothing, logY, zoom, groupOf, groupColor, colors],
  );

  // The x extent drawn now, to turn the zoom window's percentages into x values.
  const extentRef = useRef<[number, number] | null>(null);
  const visible = state.data?.series.filter((s) => !hidden.has(s.runId) && s.xFirst !== null) ?? [];
  extentRef.current = zoom ?? (visible.length ? [Math.min(...visible.map((s) => s.xFirst!)), Math.max(...visible.map((s) => s.xLast!))] : null);

  const zoomTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const onInstance = useCallback((chart: ECharts | null) => {
    chartRef.current = chart;
    if (!chart) return;
    chart.on('datazoom', () => {
      const dz = (chart.getOption() as { dataZoom?: Array<{ start?: number; end?: number }> }).dataZoom?.[0];
      const ext = extentRef.current;
      if (!dz || !ext || (dz.start === 0 && dz.end === 100)) return;
      let [a, b] = [ext[0] + ((ext[1] - ext[0]) * (dz.start ?? 0)) / 100, ext[0] + ((ext[1] - ext[0]) * (dz.end ?? 100)) / 100];
      // Steps and milliseconds are whole numbers: so are the zoom's edges (and its label).
      [a, b] = [Math.floor(a), Math.ceil(b)];
      clearTimeout(zoomTimer.current);
      // Wheel zooming fires many events; fetch once the reader pauses.
      zoomTimer.current = setTimeout(() => zoomTo(b > a ? [a, b] : null), 250);
    });
    chart.getZr().on('dblclick', () => zoomTo(null));
  }, [zoomTo]);
  // The axis now spans the zoom itself: put the zoom window back to the whole axis.
  useEffect(() => {
    chartRef.current?.dispatchAction({ type: 'dataZoom', start: 0, end: 100 });
  }, [zoom]);

  const total = state.data?.series.reduce((n, s) => n + s.total, 0) ?? 0;
  const drawn = state.data ? state.data.series.filter((s) => s.buckets.length > 0).length : 0;
  const status = state.error && !state.data ? 'error' : state.data ? 'ready' : seen ? 'loading' : 'idle';

  return (
    <div
      ref={cardRef}
      className="compare-chart card"
      data-testid="compare-chart"
      data-metric-key={metricKey}
      data-state={status}
      data-zoomed={zoom ? 'true' : 'false'}
      data-buckets={state.data?.bucketCount ?? 0}
      data-bucket-width={state.data?.bucketWidth ?? 0}
      data-total={total}
      data-runs={drawn}
    >
      <div className="compare-chart-head">
        <span className="compare-chart-key" title={metricKey}>
          {metricKey}
        </span>
        {zoom && (
          <button type="button" className="link-button compare-chart-zoom" onClick={() => zoomTo(null)} title="Show the whole range (or double-click the chart)" data-testid="chart-zoom-reset">
            {formatX(xAxis, zoom[0])} – {formatX(xAxis, zoom[1])} ✕
          </button>
        )}
        {state.loading && state.data && <span className="compare-chart-busy" aria-label="Refreshing" />}
      </div>
      {status === 'error' ? (
        <div className="compare-chart-message error-text">{state.error!.message}</div>
      ) : !option ? (
        <div className="compare-chart-message muted">{seen ? 'Loading…' : ''}</div>
      ) : drawn === 0 ? (
        <div className="compare-chart-message muted">No points for these runs{zoom ? ' in this range' : ''}</div>
      ) : null}
      <div className="compare-chart-canvas-box" hidden={!option || drawn === 0}>
        {option && <EChart option={option} className="compare-chart-canvas" onInstance={onInstance} />}
      </div>
      <div className="compare-chart-foot muted">
        {state.data && (
          <span>
            {drawn} run{drawn === 1 ? '' : 's'} · {total.toLocaleString()} points · {state.data.bucketCount} buckets of {formatX(xAxis === 'step' ? 'step' : 'relative', state.data.bucketWidth)}
          </span>
        )}
      </div>
    </div>
  );
}

import { call } from '../../api/client';
import type { ChartQuery, MetricChart } from '../../../../shared/api/search-types';

/** metrics.chart takes at most this many runs a request. */
const MAX_RUNS_PER_REQUEST = 100;

const chunks = <T,>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/**
 * One metric of any number of runs, in buckets that line up across all of them. Up to 100
 * runs it is one `metrics.chart` call. Beyond, the server computes bucket edges from each
 * request's own x range, so the range is fixed first: one cheap call per chunk (1 bucket)
 * finds every series' extent, then all chunks are asked for the same explicit range.
 */
export async function fetchChart(req: ChartQuery): Promise<MetricChart> {
  if (req.runIds.length <= MAX_RUNS_PER_REQUEST) return call((c) => c.metrics.chart(req));
  const parts = chunks(req.runIds, MAX_RUNS_PER_REQUEST);
  let { xMin, xMax } = req;
  if (xMin === undefined || xMax === undefined) {
    const probes = await Promise.all(parts.map((runIds) => call((c) => c.metrics.chart({ ...req, runIds, buckets: 1 }))));
    const firsts = probes.flatMap((p) => p.series.flatMap((s) => (s.xFirst === null ? [] : [s.xFirst])));
    const lasts = probes.flatMap((p) => p.series.flatMap((s) => (s.xLast === null ? [] : [s.xLast])));
    if (!firsts.length) return { ...probes[0]!, series: probes.flatMap((p) => p.series) };
    xMin ??= Math.min(...firsts);
    xMax ??= Math.max(...lasts);
  }
  const answers = await Promise.all(parts.map((runIds) => call((c) => c.metrics.chart({ ...req, runIds, xMin, xMax }))));
  return { ...answers[0]!, series: answers.flatMap((a) => a.series) };
}

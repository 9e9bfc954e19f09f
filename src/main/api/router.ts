import { implement } from '@orpc/server';
import { contract } from '../../shared/api/contract';
import type { Core } from '../core/create-core';
import { toTransportError } from './errors';
import { datasetsRouter } from './datasets-router';
import { TERMINAL_STATUSES } from '../../shared/api/types';
import type { ChartBucket } from '../../shared/api/search-types';
import { LatheError } from '../../shared/errors';

const MAX_ARTIFACT_READ_BYTES = 1024 * 1024 * 1024;

/**
 * Points for a line chart from per-bucket summaries: each bucket's first and last point at
 * their steps, its min and max at the bucket's middle, so every spike stays visible.
 * Timestamps are not kept in summaries and come back as 0.
 */
function bucketPoints(x0: number, width: number, buckets: ChartBucket[]): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (const b of buckets) {
    const mid = x0 + (b.i + 0.5) * width;
    out.push([b.firstX, b.first, 0]);
    if (b.min !== b.first && b.min !== b.last) out.push([Math.min(Math.max(mid, b.firstX), b.lastX), b.min, 0]);
    if (b.max !== b.first && b.max !== b.last && b.max !== b.min) out.push([Math.min(Math.max(mid, b.firstX), b.lastX), b.max, 0]);
    if (b.lastX !== b.firstX) out.push([b.lastX, b.last, 0]);
  }
  return out;
}

/** What every procedure receives: the core services. */
export interface ApiContext {
  core: Core;
}

const os = implement(contract).$context<ApiContext>();

/**
 * The router implementing {@link contract}. Handlers are thin: they call core services,
 * which throw LatheError; {@link apiInterceptors} map errors for every transport.
 */
export const router = os.router({
  system: {
    info: os.system.info.handler(({ context }) => context.core.info()),
  },
  experiments: {
    list: os.experiments.list.handler(({ context, input }) => context.core.tracking.listExperiments(input?.includeDeleted ?? false)),
    get: os.experiments.get.handler(({ context, input }) => context.core.tracking.getExperiment(input.experimentId)),
    getByName: os.experiments.getByName.handler(({ context, input }) => context.core.tracking.getExperimentByName(input.name)),
    create: os.experiments.create.handler(({ context, input }) => context.core.tracking.createExperiment(input.name, input.tags)),
  },
  runs: {
    list: os.runs.list.handler(({ context, input }) => context.core.tracking.listRuns(input ?? {})),
    get: os.runs.get.handler(({ context, input }) => context.core.tracking.getRun(input.runId)),
    create: os.runs.create.handler(({ context, input }) => context.core.tracking.createRun(input)),
    update: os.runs.update.handler(({ context, input }) => context.core.tracking.updateRun(input)),
    logBatch: os.runs.logBatch.handler(({ context, input }) => context.core.tracking.logBatch(input.runId, input)),
    start: os.runs.start.handler(({ context, input }) => context.core.executor.start(input)),
    stop: os.runs.stop.handler(({ context, input }) => context.core.executor.stop(input.runId)),
    execution: os.runs.execution.handler(({ context, input }) => {
      context.core.tracking.getRunInfo(input.runId);
      return context.core.executor.getExecution(input.runId);
    }),
    // Checked before the stream starts: an error inside a stream would reach the client as a
    // generic stream error instead of a 404 with its code.
    logs: os.runs.logs.handler(async ({ context, input, signal }) => {
      const { tracking, logs } = context.core;
      tracking.getRunInfo(input.runId);
      return (async function* () {
        if (!input.follow) {
          const chunk = logs.read(input.runId, input.offset, input.maxBytes);
          if (chunk.text) yield chunk;
          return;
        }
        const ended = () => TERMINAL_STATUSES.includes(tracking.getRunInfo(input.runId).status);
        yield* logs.follow(input.runId, input.offset, ended, signal);
      })();
    }),
    search: os.runs.search.handler(({ context, input }) => {
      const page = context.core.search.runs.search({ ...input, maxResults: input.limit, withTotal: true });
      return { runs: page.runs, total: page.total ?? 0, nextPageToken: page.nextPageToken };
    }),
    keys: os.runs.keys.handler(({ context, input }) => context.core.search.runs.keys(input?.experimentIds)),
    delete: os.runs.delete.handler(({ context, input }) => setLifecycle(context.core, input.runIds, 'deleted')),
    restore: os.runs.restore.handler(({ context, input }) => setLifecycle(context.core, input.runIds, 'active')),
    purge: os.runs.purge.handler(({ context, input }) => context.core.tracking.purgeRuns(input.runIds, context.core.paths)),
    deleteTag: os.runs.deleteTag.handler(({ context, input }) => {
      context.core.tracking.deleteTag(input.runId, input.key);
      return { runId: input.runId, key: input.key };
    }),
  },
  artifacts: {
    list: os.artifacts.list.handler(({ context, input }) => context.core.artifacts.list(input.runId, input.path)),
    read: os.artifacts.read.handler(async ({ context, input }) => {
      const handle = await context.core.artifacts.openRead(input.runId, input.path);
      if (handle.size > MAX_ARTIFACT_READ_BYTES) {
        handle.stream.destroy();
        throw new LatheError('INVALID_PARAMETER_VALUE', `Artifact ${input.path} is ${handle.size} bytes, over the ${MAX_ARTIFACT_READ_BYTES}-byte limit of this call; download it through the MLflow artifacts API`, { field: 'path' });
      }
      const chunks: Buffer[] = [];
      for await (const c of handle.stream) chunks.push(c as Buffer);
      return new File([Buffer.concat(chunks)], handle.fileName, { lastModified: handle.mtimeMs });
    }),
  },
  snapshots: {
    list: os.snapshots.list.handler(({ context, input }) => {
      context.core.tracking.getRunInfo(input.runId);
      return context.core.snapshots.list(input.runId);
    }),
    read: os.snapshots.read.handler(({ context, input }) => {
      context.core.tracking.getRunInfo(input.runId);
      return context.core.snapshots.read(input.runId, input.path);
    }),
  },
  runtimes: {
    status: os.runtimes.status.handler(async ({ context }) => {
      try {
        const v = await context.core.docker.ping();
        return { docker: { available: true, version: v.version }, process: { available: true }, defaultRuntime: 'docker' } as const;
      } catch (err) {
        return { docker: { available: false, error: err instanceof Error ? err.message : String(err) }, process: { available: true }, defaultRuntime: 'process' } as const;
      }
    }),
    images: os.runtimes.images.handler(async ({ context }) => {
      await context.core.docker.ping();
      return context.core.docker.listImages();
    }),
  },
  metrics: {
    series: os.metrics.series.handler(({ context, input }) => {
      // Long series are drawn from the block summaries (metric-chart.ts), never by scanning history.
      const chart = context.core.search.charts.chart({ runIds: [input.runId], key: input.key, xAxis: 'step', buckets: input.buckets });
      const s = chart.series[0]!;
      if (s.total <= input.buckets * 4) return context.core.tracking.getMetricSeries(input.runId, input.key, input.buckets);
      return { runId: input.runId, key: input.key, total: s.total, reduced: true, points: bucketPoints(chart.x0, chart.bucketWidth, s.buckets) };
    }),
    chart: os.metrics.chart.handler(({ context, input }) => context.core.search.charts.chart(input)),
  },
  gpus: {
    snapshot: os.gpus.snapshot.handler(({ context }) => context.core.gpus.service.snapshot()),
    live: os.gpus.live.handler(({ context, input }) => ({ snapshot: context.core.gpus.service.snapshot(), series: context.core.gpus.service.live(input?.windowSec ?? 300) })),
    history: os.gpus.history.handler(({ context, input }) => context.core.gpus.service.history(input.range, input.metrics)),
    host: os.gpus.host.handler(({ context }) => context.core.gpus.host.read()),
  },
  queue: {
    list: os.queue.list.handler(({ context }) => context.core.gpus.queue.status()),
    cancel: os.queue.cancel.handler(({ context, input }) => {
      if (!context.core.gpus.queue.isQueued(input.runId)) throw new LatheError('RESOURCE_CONFLICT', `Run ${input.runId} is not waiting in the GPU queue`, { runId: input.runId });
      return context.core.executor.stop(input.runId);
    }),
    setPriority: os.queue.setPriority.handler(({ context, input }) => {
      context.core.gpus.queue.setPriority(input.runId, input.priority);
      return context.core.gpus.queue.status();
    }),
  },
  events: {
    subscribe: os.events.subscribe.handler(async function* ({ context, signal }) {
      yield* context.core.bus.stream(signal);
    }),
  },
  datasets: datasetsRouter,
});

export type AppRouter = typeof router;

/**
 * Soft-deletes or restores runs, each once however often it is listed. All ids are checked
 * before any change, so an unknown id leaves every run as it was.
 * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown id.
 */
function setLifecycle(core: Core, ids: string[], stage: 'active' | 'deleted'): { runIds: string[] } {
  const runIds = [...new Set(ids)];
  for (const runId of runIds) core.tracking.getRunInfo(runId);
  for (const runId of runIds) core.tracking.setRunLifecycle(runId, stage);
  return { runIds };
}

/**
 * Error mapping shared by every transport's handler; pass as
 * `clientInterceptors: [onError(mapApiError)]`.
 * @throws always: the transport form of `error` (see toTransportError).
 */
export function mapApiError(error: unknown): never {
  throw toTransportError(error);
}

import { oc, type } from '@orpc/contract';
import { z } from 'zod';
import type { ChangeEvent, ExecutionInfo, Experiment, LocalImage, MetricSeries, Run, RunInfo, RunPage, RuntimeStatus, SystemInfo } from './types';
import { runSpecSchema } from './run-spec';
import { datasetsContract } from './datasets-contract';
import { RUN_STATUSES } from './types';
import { CHART_X_AXES, VIEW_TYPES, type MetricChart, type RunKeys, type RunSearchPage } from './search-types';
import { GPU_HISTORY_RANGES, ROLLUP_METRICS, type GpuHistory, type GpuLiveSeries, type GpuSnapshot, type HostMetrics, type QueueStatus } from './gpu-types';

/**
 * The one API contract. Every operation the UI or CLI can call is declared here once: a zod
 * schema for its input and a typed output. Transports (HTTP, Electron MessagePort) are
 * adapters over the router that implements it (src/main/api/router.ts).
 */

const id = z.string().min(1).max(256);
const ms = z.number().int().min(0);
/** Any IEEE double, NaN and ±Infinity included (zod's z.number() refuses those), or the
 *  string forms MLflow clients send ("NaN", "Infinity", "-Infinity", "2.5"). */
const metricValue = z.union([
  z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' }),
  z.string().max(64),
]);

export const metricInput = z.object({
  key: z.string(),
  value: metricValue,
  timestamp: ms.optional(),
  step: z.number().int().optional(),
});
export const paramInput = z.object({ key: z.string(), value: z.string() });
export const tagInput = z.object({ key: z.string(), value: z.string() });

export const contract = {
  system: {
    /** Version, data directory and process id of the core that answers. */
    info: oc.input(z.object({}).optional()).output(type<SystemInfo>()),
  },
  experiments: {
    list: oc
      .input(z.object({ includeDeleted: z.boolean().optional() }).optional())
      .output(type<Experiment[]>()),
    get: oc.input(z.object({ experimentId: id })).output(type<Experiment>()),
    getByName: oc.input(z.object({ name: z.string().min(1).max(500) })).output(type<Experiment>()),
    create: oc
      .input(z.object({ name: z.string().trim().min(1).max(500), tags: z.record(z.string(), z.string()).optional() }))
      .output(type<Experiment>()),
  },
  runs: {
    list: oc
      .input(
        z
          .object({
            experimentId: id.optional(),
            status: z.enum(RUN_STATUSES).optional(),
            limit: z.number().int().min(1).max(1000).default(100),
            offset: z.number().int().min(0).default(0),
          })
          .optional(),
      )
      .output(type<RunPage>()),
    get: oc.input(z.object({ runId: id })).output(type<Run>()),
    create: oc
      .input(
        z.object({
          experimentId: id,
          name: z.string().max(250).optional(),
          startTime: ms.optional(),
          tags: z.array(tagInput).max(100).optional(),
        }),
      )
      .output(type<RunInfo>()),
    update: oc
      .input(
        z.object({
          runId: id,
          status: z.enum(RUN_STATUSES).optional(),
          endTime: ms.optional(),
          name: z.string().max(250).optional(),
        }),
      )
      .output(type<RunInfo>()),
    logBatch: oc
      .input(
        z.object({
          runId: id,
          metrics: z.array(metricInput).optional(),
          params: z.array(paramInput).optional(),
          tags: z.array(tagInput).optional(),
        }),
      )
      .output(type<{ metrics: number; params: number; tags: number }>()),
    /** Starts a run from a spec (docker or process runtime); returns it RUNNING, or FAILED with the reason. */
    start: oc.input(runSpecSchema).output(type<RunInfo>()),
    /** SIGTERM, then SIGKILL after the grace period; the run ends KILLED. */
    stop: oc.input(z.object({ runId: id })).output(type<RunInfo>()),
    /** How Lathe executed the run (null for runs logged from outside). */
    execution: oc.input(z.object({ runId: id })).output(type<ExecutionInfo | null>()),
    /**
     * The run's log from a byte offset (negative: the last bytes), then, with follow, new
     * output as it arrives until the run ends. Chunks carry their byte offset for resuming.
     */
    logs: oc
      .input(z.object({ runId: id, offset: z.number().int().default(0), follow: z.boolean().default(false), maxBytes: z.number().int().min(1).max(16 << 20).default(1 << 20) }))
      .output(type<AsyncIterable<{ offset: number; text: string }>>()),
    /**
     * One page of the runs matching an MLflow filter (`metrics.val_loss < 0.5 AND params.lr =
     * '0.1'`), ordered by MLflow order_by items (`metrics.val_loss ASC`; default newest first),
     * with the total count. `columns` narrows the params/metrics/tags sent with each run (a
     * runs table loads only its visible columns). Page with `nextPageToken` or `offset`.
     * Errors: INVALID_PARAMETER_VALUE naming the filter or order_by position and token.
     */
    search: oc
      .input(
        z.object({
          experimentIds: z.array(id).max(1000).optional(),
          filter: z.string().max(10_000).optional(),
          orderBy: z.array(z.string().max(1000)).max(20).optional(),
          viewType: z.enum(VIEW_TYPES).default('ACTIVE_ONLY'),
          limit: z.number().int().min(1).max(50_000).default(100),
          pageToken: z.string().max(1000).optional(),
          offset: z.number().int().min(0).optional(),
          columns: z
            .object({
              params: z.array(z.string().max(250)).max(2000).optional(),
              metrics: z.array(z.string().max(250)).max(2000).optional(),
              tags: z.array(z.string().max(250)).max(2000).optional(),
            })
            .optional(),
        }),
      )
      .output(type<RunSearchPage>()),
    /** Soft-deletes runs (MLflow runs/delete): they leave ACTIVE_ONLY searches and can be restored. */
    delete: oc.input(z.object({ runIds: z.array(id).min(1).max(10_000) })).output(type<{ runIds: string[] }>()),
    /** Restores soft-deleted runs (MLflow runs/restore). */
    restore: oc.input(z.object({ runIds: z.array(id).min(1).max(10_000) })).output(type<{ runIds: string[] }>()),
    /**
     * Permanently removes deleted runs: rows, artifacts, logs and snapshots, then vacuums the
     * store so the disk space comes back. Errors: RESOURCE_DOES_NOT_EXIST (unknown run), RESOURCE_CONFLICT (a run not deleted first, or still executing); nothing is removed then.
     */
    purge: oc
      .input(z.object({ runIds: z.array(id).min(1).max(10_000) }))
      .output(type<{ purged: string[]; fileBytes: number; dbBytesBefore: number; dbBytesAfter: number }>()),
    /** Removes one tag of a run (MLflow runs/delete-tag); set tags with logBatch. */
    deleteTag: oc.input(z.object({ runId: id, key: z.string().min(1).max(250) })).output(type<{ runId: string; key: string }>()),
    /** Distinct param, metric and tag keys of the experiments' runs (all experiments when absent), for a column picker. */
    keys: oc.input(z.object({ experimentIds: z.array(id).max(1000).optional() }).optional()).output(type<RunKeys>()),
  },
  artifacts: {
    /** One folder of a run's artifacts (root when path is empty), sorted by name. */
    list: oc.input(z.object({ runId: id, path: z.string().max(4096).default('') })).output(type<Array<{ path: string; isDir: boolean; fileSize?: number }>>()),
    /** One artifact file's bytes (whole file; up to 1 GiB). */
    read: oc.input(z.object({ runId: id, path: z.string().min(1).max(4096) })).output(type<File>()),
  },
  snapshots: {
    /** The files of a run's code snapshot and the git diff recorded at launch. */
    list: oc.input(z.object({ runId: id })).output(type<{ files: Array<{ path: string; size: number }>; gitDiff: string | null }>()),
    /** One snapshot file as text (null when binary), capped at 2 MiB. */
    read: oc.input(z.object({ runId: id, path: z.string().min(1).max(4096) })).output(type<{ path: string; size: number; text: string | null; truncated: boolean }>()),
  },
  runtimes: {
    /** Whether the Docker engine answers, and the default runtime. */
    status: oc.input(z.object({}).optional()).output(type<RuntimeStatus>()),
    /** Tagged images on the local engine, newest first. */
    images: oc.input(z.object({}).optional()).output(type<LocalImage[]>()),
  },
  metrics: {
    series: oc
      .input(z.object({ runId: id, key: z.string().min(1).max(250), buckets: z.number().int().min(1).max(20000).default(1000) }))
      .output(type<MetricSeries>()),
    /**
     * One metric of several runs for a chart `buckets` pixels wide: per bucket count, first,
     * last, min and max (computed in SQL from block summaries), plus each series' global
     * min/max and point count. x is the step, the wall time (ms) or ms since the series'
     * first point; xMin/xMax zoom. Errors: RESOURCE_DOES_NOT_EXIST for an unknown run.
     */
    chart: oc
      .input(
        z.object({
          runIds: z.array(id).min(1).max(100),
          key: z.string().min(1).max(250),
          xAxis: z.enum(CHART_X_AXES).default('step'),
          xMin: z.number().finite().optional(),
          xMax: z.number().finite().optional(),
          buckets: z.number().int().min(1).max(10_000).default(1000),
        }),
      )
      .output(type<MetricChart>()),
  },
  gpus: {
    /** The latest GPU readings with processes attributed to runs, leases and the driver state. */
    snapshot: oc.input(z.object({}).optional()).output(type<GpuSnapshot>()),
    /** The snapshot plus sparkline series of the last `windowSec` seconds (in-memory ring). */
    live: oc.input(z.object({ windowSec: z.number().int().min(10).max(900).default(300) }).optional()).output(type<{ snapshot: GpuSnapshot; series: GpuLiveSeries[] }>()),
    /** Rolled-up history (min/mean/max per bucket) for 15m, 1h, 24h or 7d. */
    history: oc.input(z.object({ range: z.enum(GPU_HISTORY_RANGES), metrics: z.array(z.enum(ROLLUP_METRICS)).min(1).optional() })).output(type<GpuHistory>()),
    /** Host CPU, memory, disks and network (systeminformation). */
    host: oc.input(z.object({}).optional()).output(type<HostMetrics>()),
  },
  queue: {
    /** Runs waiting for GPUs in serving order, with reasons; active leases; threshold and mode. */
    list: oc.input(z.object({}).optional()).output(type<QueueStatus>()),
    /** Cancels a queued run (it ends KILLED). */
    cancel: oc.input(z.object({ runId: id })).output(type<RunInfo>()),
    /** Sets a queued run's priority (higher first). */
    setPriority: oc.input(z.object({ runId: id, priority: z.number().int().min(-1000).max(1000) })).output(type<QueueStatus>()),
  },
  events: {
    /** A stream of change events (server-sent events over HTTP). */
    subscribe: oc.input(z.object({}).optional()).output(type<AsyncIterable<ChangeEvent>>()),
  },
  /** Datasets: versions, inspection, validation, lineage (issue #6). */
  datasets: datasetsContract,
};

export type Contract = typeof contract;

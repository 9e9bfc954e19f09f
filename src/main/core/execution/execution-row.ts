import type { Db } from '../store/database';
import type { ExecutionInfo } from '../../../shared/api/types';
import type { RunSpec } from '../../../shared/api/run-spec';
import type { RuntimeHandle, RuntimeKind } from './runtime';
import { exitFileFor } from './process-runtime';

/** A `run_executions` row joined with its run's public id and experiment (times in ms since epoch). */
export interface ExecutionRow {
  run: number;
  run_id: string;
  experiment_id: number;
  runtime: RuntimeKind;
  spec: string;
  image: string | null;
  image_digest: string | null;
  container_id: string | null;
  device_requests: string | null;
  pid: number | null;
  owner_pid: number | null;
  exit_code: number | null;
  status_message: string | null;
  log_path: string;
  snapshot_path: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

/** The columns of {@link ExecutionRow}; callers add their WHERE clause. */
export const EXECUTION_ROW_SELECT = 'SELECT e.*, r.run_id, r.experiment_id FROM run_executions e JOIN runs r ON r.id = e.run';

/** The execution row of a run; undefined for runs Lathe did not launch. */
export function readExecutionRow(db: Db, runId: string): ExecutionRow | undefined {
  return db.prepare<[string], ExecutionRow>(`${EXECUTION_ROW_SELECT} WHERE r.run_id = ?`).get(runId);
}

/**
 * The API view of an execution.
 * @param runTags the run's tags (the snapshot's file count and bytes are kept as tags).
 * @param logBytes size of the run's log in bytes.
 */
export function toExecutionInfo(row: ExecutionRow, runTags: Record<string, string>, logBytes: number): ExecutionInfo {
  const spec = JSON.parse(row.spec) as RunSpec;
  return {
    runId: row.run_id,
    runtime: row.runtime,
    image: row.image,
    imageDigest: row.image_digest,
    containerId: row.container_id,
    deviceRequests: row.device_requests ? (JSON.parse(row.device_requests) as unknown[]) : null,
    pid: row.pid,
    exitCode: row.exit_code,
    statusMessage: row.status_message,
    command: spec.command,
    workdir: spec.workdir ?? '',
    env: spec.env,
    gpus: spec.gpus ?? null,
    cpus: spec.cpus ?? null,
    memoryMb: spec.memoryMb ?? null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    logBytes,
    snapshot: row.snapshot_path ? { files: Number(runTags['lathe.snapshot.files'] ?? 0), bytes: Number(runTags['lathe.snapshot.bytes'] ?? 0) } : null,
  };
}
/** The runtime handle recorded for an execution (the process runtime's exit file sits beside the log). */
export function handleOf(row: ExecutionRow): RuntimeHandle {
  return { containerId: row.container_id ?? undefined, pid: row.pid ?? undefined, exitFile: row.pid ? exitFileFor(row.log_path) : undefined };
}

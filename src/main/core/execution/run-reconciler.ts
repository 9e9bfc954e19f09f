import type { RunExecutor } from './run-executor';
import { EXECUTION_ROW_SELECT, handleOf, type ExecutionRow } from './execution-row';
import fs from 'node:fs';
import { alive } from './process-runtime';
import type { Db } from '../store/database';
import type { DockerRuntime } from './docker-runtime';

export interface ReconcileReport {
  /** Runs still running: logs re-attached, supervised again. */
  reattached: string[];
  /** Runs that ended while Lathe was down: final status recorded. */
  finalized: string[];
  /** Runs supervised by another live Lathe process: left alone. */
  skipped: string[];
  /** Runs waiting in the GPU queue: left there. */
  queued: string[];
}

/**
 * True when `pid` is a live Lathe process (the CLI, `lathe serve` or the desktop app). A
 * zombie, or a pid the OS has since given to an unrelated program, does not count: the
 * run it owned needs a new supervisor.
 */
export function isLiveLathe(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').toLowerCase();
    return cmdline.includes('lathe') || cmdline.includes('electron') || cmdline.includes('vitest');
  } catch {
    return true; // no /proc: trust the pid
  }
}

/**
 * After a restart, brings every unfinished execution back in line with reality (DESIGN.md,
 * Execution: state lives in the engine). A container still running is re-attached (its
 * complete log is rebuilt from Docker) and supervised; one that exited while Lathe was down
 * gets its final status, exit code and missed logs; a vanished one is FAILED with a reason.
 * Process runs are re-attached by pid, or finalised from the exit code their wrapper wrote.
 * Executions owned by another live Lathe process are skipped.
 */
export async function reconcileRuns(db: Db, executor: RunExecutor, docker: DockerRuntime): Promise<ReconcileReport> {
  const report: ReconcileReport = { reattached: [], finalized: [], skipped: [], queued: [] };
  const rows = db
    .prepare<[], ExecutionRow>(`${EXECUTION_ROW_SELECT} WHERE e.finished_at IS NULL`)
    .all();
  for (const row of rows) {
    const runId = row.run_id;
    if (executor.isSupervising(runId)) continue;
    if (row.owner_pid && row.owner_pid !== process.pid && isLiveLathe(row.owner_pid)) {
      report.skipped.push(runId);
      continue;
    }
    db.prepare('UPDATE run_executions SET owner_pid = ? WHERE run = ?').run(process.pid, row.run);
    // Waiting in the GPU queue: the queue (in SQLite) starts it when its GPUs are free.
    if (db.prepare('SELECT 1 FROM run_queue WHERE run = ?').get(row.run)) {
      report.queued.push(runId);
      continue;
    }
    const handle = handleOf(row);
    if (!handle.containerId && !handle.pid) {
      executor.finalize(runId, { exitCode: null, status: 'FAILED', message: 'Lathe stopped before the run was launched.' });
      report.finalized.push(runId);
      continue;
    }
    if (row.runtime === 'docker') {
      let state: Awaited<ReturnType<DockerRuntime['inspectState']>>;
      try {
        state = await docker.inspectState(handle.containerId!);
      } catch {
        report.skipped.push(runId); // engine down: try again at the next start
        continue;
      }
      if (!state) {
        executor.finalize(runId, { exitCode: null, status: 'FAILED', message: 'The container disappeared while Lathe was not running.' });
        report.finalized.push(runId);
        continue;
      }
      // Running or exited, wait() rebuilds the log and yields the exit code; an exited
      // container answers at once.
      executor.supervise(runId, docker, handle, true);
      (state.running ? report.reattached : report.finalized).push(runId);
      continue;
    }
    executor.supervise(runId, executor.runtime('process'), handle, true);
    (alive(handle.pid!) ? report.reattached : report.finalized).push(runId);
  }
  return report;
}

import type { Db } from '../store/database';
import type { Statement } from 'better-sqlite3';
import type { ChangeBus } from '../events';
import type { GpuRequest } from '../../../shared/api/run-spec';
import type { GpuLease, QueueEntry, QueueStatus } from '../../../shared/api/gpu-types';
import { LatheError } from '../../../shared/errors';
import { planQueue, type AssignedGpu, type PlanGpu } from './gpu-plan';

/** What the queue needs from GPU telemetry. */
export interface GpuInventory {
  /** `scheduled` when readings flow, `starting` before the first, `passthrough` when GPUs are unreadable. */
  mode(): QueueStatus['mode'];
  /** Waits (bounded) for the first answer from the driver. */
  ready(timeoutMs?: number): Promise<unknown>;
  gpus(): PlanGpu[];
}

/** Starts a run that was waiting, once the queue gave it GPUs (the executor). */
export interface QueueLauncher {
  launchQueued(runId: string, assigned: AssignedGpu[], env: Record<string, string>): Promise<void>;
  /** A queued request that can never be met (the machine changed): end the run FAILED. */
  refuseQueued(runId: string, message: string): void;
}

export type Admission =
  | { kind: 'passthrough' }
  | { kind: 'assigned'; assigned: AssignedGpu[] }
  | { kind: 'queued'; position: number; reason: string }
  | { kind: 'refused'; message: string };

interface QueueRow {
  run: number;
  run_id: string;
  run_name: string;
  experiment_id: number;
  seq: number;
  priority: number;
  request: string;
  env: string;
  reason: string | null;
  enqueued_at: number;
}

export interface GpuQueueOptions {
  db: Db;
  bus: ChangeBus;
  inventory: GpuInventory;
  /** MiB used outside Lathe above which a GPU is not assigned (LATHE_GPU_FOREIGN_MEMORY_MIB). */
  foreignMemoryThresholdMib: number;
  now?: () => number;
}

/**
 * The GPU-aware queue: runs that ask for GPUs get GPUs no Lathe run holds and that nothing
 * outside Lathe uses beyond the threshold, or wait QUEUED with their place and the reason.
 * Served by priority, then arrival. The lease rows are written in the same SQLite transaction
 * that chooses the GPUs, before any container starts, and a unique index refuses a second
 * active lease on one GPU; both the queue and the leases live in SQLite, so they survive a
 * restart.
 */
export class GpuQueue {
  private launcher: QueueLauncher | null = null;
  private pumping: Promise<void> = Promise.resolve();
  private pumpAgain = false;
  private readonly now: () => number;
  /** "Does anything wait?", asked on every GPU sample; prepared on first use. */
  private anyQueued?: Statement;

  constructor(private readonly opts: GpuQueueOptions) {
    this.now = opts.now ?? Date.now;
  }

  setLauncher(launcher: QueueLauncher): void {
    this.launcher = launcher;
  }

  get thresholdMib(): number {
    return this.opts.foreignMemoryThresholdMib;
  }

  /**
   * Decides for a new run that asks for GPUs: GPUs now (leases written), a place in the queue,
   * or a refusal (a request this machine can never meet). When GPUs cannot be read at all
   * (no driver), Lathe does not schedule: the request goes to the runtime as asked.
   * @param env the run's own environment (unmasked), kept with the entry until it launches.
   */
  async admit(runId: string, request: Exclude<GpuRequest, 0>, env: Record<string, string>, priority = 0): Promise<Admission> {
    if (this.opts.inventory.mode() === 'starting') await this.opts.inventory.ready(5000);
    if (this.opts.inventory.mode() === 'passthrough') return { kind: 'passthrough' };
    const db = this.opts.db;
    db.prepare(
      `INSERT INTO run_queue (run, seq, priority, request, env, enqueued_at)
       VALUES ((SELECT id FROM runs WHERE run_id = ?), (SELECT COALESCE(MAX(seq), 0) + 1 FROM run_queue), ?, ?, ?, ?)`,
    ).run(runId, priority, JSON.stringify(request), JSON.stringify(env), this.now());
    const result = this.schedule();
    const mine = result.assigned.find((a) => a.runId === runId);
    const refused = result.refused.find((r) => r.runId === runId);
    this.launchOthers(result, runId);
    if (mine) return { kind: 'assigned', assigned: mine.assigned };
    if (refused) return { kind: 'refused', message: refused.message };
    const entry = this.entries().find((e) => e.run_id === runId)!;
    return { kind: 'queued', position: entry.position, reason: entry.reason };
  }

  /** Releases a run's leases and drops it from the queue (it ended or was stopped), then serves the queue. */
  release(runId: string): void {
    const db = this.opts.db;
    const t = this.now();
    const changed = db.transaction(() => {
      const a = db.prepare('UPDATE gpu_leases SET released_at = ? WHERE released_at IS NULL AND run = (SELECT id FROM runs WHERE run_id = ?)').run(t, runId).changes;
      const b = db.prepare('DELETE FROM run_queue WHERE run = (SELECT id FROM runs WHERE run_id = ?)').run(runId).changes;
      return a + b;
    })();
    if (changed) {
      this.opts.bus.publish({ kind: 'queue', runId });
      this.pump();
    }
  }

  /** True when the run waits in the queue. */
  isQueued(runId: string): boolean {
    return this.opts.db.prepare('SELECT 1 FROM run_queue WHERE run = (SELECT id FROM runs WHERE run_id = ?)').get(runId) !== undefined;
  }

  /**
   * Changes a queued run's priority (higher is served first), then serves the queue.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST when the run is not queued.
   */
  setPriority(runId: string, priority: number): QueueEntry {
    const n = this.opts.db.prepare('UPDATE run_queue SET priority = ? WHERE run = (SELECT id FROM runs WHERE run_id = ?)').run(priority, runId).changes;
    if (!n) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Run ${runId} is not waiting in the GPU queue`, { runId });
    this.pump();
    this.opts.bus.publish({ kind: 'queue', runId });
    return this.status().entries.find((e) => e.run_id === runId) ?? (this.status().entries[0] as QueueEntry);
  }

  /** Serves the queue (after a run ends, a priority change, a GPU becoming free); serialized. */
  pump(): Promise<void> {
    if (this.pumpAgain) return this.pumping;
    this.pumpAgain = true;
    this.pumping = this.pumping.then(async () => {
      this.pumpAgain = false;
      if (this.opts.inventory.mode() !== 'scheduled') return;
      const result = this.schedule();
      await this.launchOthers(result, null);
    });
    return this.pumping;
  }

  private async launchOthers(result: ReturnType<GpuQueue['schedule']>, except: string | null): Promise<void> {
    for (const r of result.refused) if (r.runId !== except) this.launcher?.refuseQueued(r.runId, r.message);
    await Promise.all(result.assigned.filter((a) => a.runId !== except).map((a) => this.launcher?.launchQueued(a.runId, a.assigned, a.env).catch(() => {})));
  }

  /** Plans and applies in one transaction: leases for the runs that get GPUs, reasons for the others. */
  private schedule(): { assigned: Array<{ runId: string; assigned: AssignedGpu[]; env: Record<string, string> }>; refused: Array<{ runId: string; message: string }> } {
    const db = this.opts.db;
    // Served on every sample: skip the transaction when nothing waits.
    if (!db.open || !(this.anyQueued ??= db.prepare('SELECT 1 FROM run_queue LIMIT 1')).get()) return { assigned: [], refused: [] };
    const gpus = this.opts.inventory.gpus();
    return db.transaction(() => {
      const rows = this.rows();
      if (rows.length === 0) return { assigned: [], refused: [] };
      const leases = this.leases().map((l) => ({ runId: l.run_id, runName: l.run_name, gpuUuid: l.gpu_uuid }));
      const decisions = planQueue(rows.map((r) => ({ runId: r.run_id, runName: r.run_name, request: JSON.parse(r.request) as Exclude<GpuRequest, 0> })), gpus, leases, this.opts.foreignMemoryThresholdMib);
      const assigned: Array<{ runId: string; assigned: AssignedGpu[]; env: Record<string, string> }> = [];
      const refused: Array<{ runId: string; message: string }> = [];
      const t = this.now();
      const insertLease = db.prepare('INSERT INTO gpu_leases (run, slot, gpu_uuid, gpu_index, acquired_at) VALUES (?, ?, ?, ?, ?)');
      for (const d of decisions) {
        const row = rows.find((r) => r.run_id === d.runId)!;
        if ('assign' in d) {
          for (const a of d.assign) insertLease.run(row.run, a.slot, a.uuid, a.index, t);
          db.prepare('DELETE FROM run_queue WHERE run = ?').run(row.run);
          assigned.push({ runId: d.runId, assigned: d.assign, env: JSON.parse(row.env) as Record<string, string> });
        } else if ('refuse' in d) {
          db.prepare('DELETE FROM run_queue WHERE run = ?').run(row.run);
          refused.push({ runId: d.runId, message: d.refuse });
        } else if (row.reason !== d.wait) {
          db.prepare('UPDATE run_queue SET reason = ? WHERE run = ?').run(d.wait, row.run);
        }
      }
      if (assigned.length || refused.length) this.opts.bus.publish({ kind: 'queue' });
      return { assigned, refused };
    })();
  }

  private rows(): QueueRow[] {
    return this.opts.db
      .prepare<[], QueueRow>(
        `SELECT q.*, r.run_id, r.name AS run_name, r.experiment_id FROM run_queue q JOIN runs r ON r.id = q.run ORDER BY q.priority DESC, q.seq`,
      )
      .all();
  }

  private entries(): QueueEntry[] {
    return this.rows().map((r, i) => ({
      run_id: r.run_id,
      run_name: r.run_name,
      experiment_id: String(r.experiment_id),
      position: i + 1,
      priority: r.priority,
      enqueued_at: r.enqueued_at,
      request: JSON.parse(r.request) as QueueEntry['request'],
      reason: r.reason ?? 'waiting for GPU readings',
    }));
  }

  /** Active leases, oldest first. */
  leases(): Array<GpuLease & { run: number }> {
    return this.opts.db
      .prepare<[], GpuLease & { run: number }>(
        `SELECT l.run, r.run_id, r.name AS run_name, l.slot, l.gpu_uuid, l.gpu_index, l.acquired_at
         FROM gpu_leases l JOIN runs r ON r.id = l.run WHERE l.released_at IS NULL ORDER BY l.acquired_at, l.run, l.slot`,
      )
      .all();
  }

  /** The queue in serving order, the active leases, the threshold and the mode. */
  status(): QueueStatus {
    return {
      entries: this.entries(),
      leases: this.leases().map(({ run: _run, ...l }) => l),
      foreign_memory_threshold_mib: this.opts.foreignMemoryThresholdMib,
      mode: this.opts.inventory.mode(),
    };
  }
}

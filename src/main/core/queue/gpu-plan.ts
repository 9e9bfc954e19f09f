import type { GpuRequest } from '../../../shared/api/run-spec';

/** A GPU as the scheduler sees it. */
export interface PlanGpu {
  uuid: string;
  index: number | null;
  /** MIG device UUIDs of this GPU (from -L). */
  mig: string[];
  /** MiB used by processes that are not Lathe runs' (memory.used minus Lathe's); null: unknown. */
  foreignMemoryMib: number | null;
}

export interface PlanLease {
  runId: string;
  runName: string;
  gpuUuid: string;
}

export interface PlanEntry {
  runId: string;
  runName: string;
  request: Exclude<GpuRequest, 0>;
}

export interface AssignedGpu {
  /** GPU- or MIG- UUID handed to the runtime. */
  uuid: string;
  index: number | null;
  slot: number;
}

export type PlanDecision = { runId: string; assign: AssignedGpu[] } | { runId: string; wait: string } | { runId: string; refuse: string };

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const short = (runId: string) => runId.slice(0, 8);

/**
 * Resolves a device id from a request (an index "0", a GPU UUID or a MIG UUID) against the
 * inventory. Returns the lease key and its parent GPU, or null when it names nothing here.
 */
export function resolveDevice(id: string, gpus: readonly PlanGpu[]): { uuid: string; gpu: PlanGpu; mig: boolean } | null {
  if (/^\d+$/.test(id)) {
    const gpu = gpus.find((g) => g.index === Number(id));
    return gpu ? { uuid: gpu.uuid, gpu, mig: false } : null;
  }
  const lower = id.toLowerCase();
  for (const gpu of gpus) {
    if (gpu.uuid.toLowerCase() === lower) return { uuid: gpu.uuid, gpu, mig: false };
    const m = gpu.mig.find((u) => u.toLowerCase() === lower);
    if (m) return { uuid: m, gpu, mig: true };
  }
  return null;
}

/**
 * Decides, in queue order (already sorted: priority, then arrival), which waiting runs get GPUs
 * now. A GPU is free when no lease holds it (or one of its MIG devices, or — for a MIG device —
 * its parent), no earlier entry in this pass took or is waiting for it, and memory used outside
 * Lathe is at most `thresholdMib`. An entry that must wait keeps the free GPUs it could use, so
 * runs behind it cannot starve it (FIFO with priority). Requests that can never fit (more GPUs
 * than exist, unknown devices) are refused.
 */
export function planQueue(entries: readonly PlanEntry[], gpus: readonly PlanGpu[], leases: readonly PlanLease[], thresholdMib: number): PlanDecision[] {
  const heldBy = new Map<string, PlanLease>();
  for (const l of leases) heldBy.set(l.gpuUuid, l);
  const taken = new Map<string, string>(); // uuid → runName of an earlier entry in this pass
  const label = (g: PlanGpu) => `GPU ${g.index ?? g.uuid}`;

  /** Why `uuid` (on `gpu`) is not available, or null when it is. */
  const blocker = (gpu: PlanGpu, uuid: string, mig: boolean): string | null => {
    const keys = mig ? [uuid, gpu.uuid] : [gpu.uuid, ...gpu.mig];
    for (const k of keys) {
      const lease = heldBy.get(k);
      if (lease) return `${mig ? uuid : label(gpu)} held by run ${lease.runName} (${short(lease.runId)})`;
      const other = taken.get(k);
      if (other) return `${mig ? uuid : label(gpu)} kept for run ${other}, earlier in the queue`;
    }
    if (!mig && gpu.foreignMemoryMib !== null && gpu.foreignMemoryMib > thresholdMib) {
      return `${label(gpu)} has ${Math.round(gpu.foreignMemoryMib)} MiB in use outside Lathe (limit ${thresholdMib} MiB)`;
    }
    return null;
  };

  const decisions: PlanDecision[] = [];
  // No readings (yet): nothing can be decided, and nothing is refused.
  if (gpus.length === 0) return entries.map((e) => ({ runId: e.runId, wait: 'waiting for GPU readings' }));
  for (const e of entries) {
    const req = e.request;
    if (Array.isArray(req)) {
      const resolved = req.map((id) => ({ id, dev: resolveDevice(id, gpus) }));
      const unknown = resolved.filter((r) => !r.dev).map((r) => r.id);
      if (unknown.length) {
        decisions.push({ runId: e.runId, refuse: `No GPU ${unknown.join(', ')} on this machine (GPUs: ${gpus.map((g) => g.index ?? g.uuid).join(', ') || 'none'}).` });
        continue;
      }
      const blocked = resolved.map((r) => blocker(r.dev!.gpu, r.dev!.uuid, r.dev!.mig)).filter((b): b is string => b !== null);
      for (const r of resolved) taken.set(r.dev!.uuid, e.runName);
      if (blocked.length) decisions.push({ runId: e.runId, wait: `waiting for ${req.length === 1 ? `GPU ${req[0]}` : `GPUs ${req.join(', ')}`}; ${blocked.join('; ')}` });
      else decisions.push({ runId: e.runId, assign: resolved.map((r, slot) => ({ uuid: r.dev!.uuid, index: r.dev!.gpu.index, slot })) });
      continue;
    }
    const want = req === 'all' ? gpus.length : req;
    if (want > gpus.length || want === 0) {
      decisions.push({ runId: e.runId, refuse: `Asks for ${plural(want, 'GPU')}; this machine has ${plural(gpus.length, 'GPU')}.` });
      continue;
    }
    const sorted = [...gpus].sort((a, b) => (a.index ?? 1e9) - (b.index ?? 1e9));
    const free: PlanGpu[] = [];
    const why: string[] = [];
    for (const g of sorted) {
      const b = blocker(g, g.uuid, false);
      if (b) why.push(b);
      else free.push(g);
    }
    if (free.length >= want) {
      const pick = free.slice(0, want);
      for (const g of pick) taken.set(g.uuid, e.runName);
      decisions.push({ runId: e.runId, assign: pick.map((g, slot) => ({ uuid: g.uuid, index: g.index, slot })) });
    } else {
      for (const g of free) taken.set(g.uuid, e.runName);
      decisions.push({ runId: e.runId, wait: `waiting for ${plural(want, 'GPU')} (${free.length} free); ${why.join('; ')}` });
    }
  }
  return decisions;
}

import fs from 'node:fs/promises';
import path from 'node:path';
import type { GpuProcess } from '../../../shared/api/gpu-types';
import type { ParsedProcess } from './gpu-rows';

/** A container named by a /proc/<pid>/cgroup file. */
export interface CgroupContainer {
  /** 64-hex container id. */
  id: string;
  /** Who made the scope: docker, containerd (cri-containerd), cri-o, podman (libpod), or unknown (cgroupfs paths). */
  runtime: 'docker' | 'containerd' | 'crio' | 'podman' | 'unknown';
}

/**
 * The container a process runs in, from the text of /proc/<pid>/cgroup: cgroup v1 (many
 * `N:controller:/path` lines) or v2 (one `0::/path` line), cgroupfs driver (`/docker/<id>`) or
 * systemd driver (`/system.slice/docker-<id>.scope`), Kubernetes (`cri-containerd-<id>.scope`,
 * `crio-<id>.scope`) and Podman (`libpod-<id>.scope`; its `libpod-conmon-` monitor is not the
 * container). The last 64-hex run of a path wins, so docker-in-docker names the inner container.
 * null for host processes and for a private cgroup namespace (`0::/`).
 * Source: ../shared/notes/gpu.md §1(b).
 */
export function containerFromCgroup(text: string): CgroupContainer | null {
  for (const line of text.split('\n')) {
    const p = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
    if (!p || p.includes('conmon')) continue;
    const ids = [...p.matchAll(/([0-9a-f]{64})/g)];
    const last = ids.at(-1);
    if (!last) continue;
    const before = p.slice(0, last.index);
    const runtime = /cri-containerd-$/.test(before) ? 'containerd' : /crio-$/.test(before) ? 'crio' : /libpod-$/.test(before) ? 'podman' : /docker[-/]$/.test(before) ? 'docker' : 'unknown';
    return { id: last[1]!, runtime };
  }
  return null;
}

/** What /proc says about one process; nulls where it is not visible (other namespace, ended, denied). */
export interface ProcInfo {
  visible: boolean;
  container: CgroupContainer | null;
  /** Process group id (field 5 of /proc/<pid>/stat). */
  pgrp: number | null;
  uid: number | null;
  user: string | null;
  command: string | null;
}

/** Reads /proc (or another root, for tests) asynchronously, caching each pid for a few seconds. */
export class ProcReader {
  private readonly cache = new Map<number, { at: number; info: ProcInfo }>();
  private users: Map<number, string> | null = null;

  constructor(private readonly root = '/proc', private readonly passwd = '/etc/passwd', private readonly ttlMs = 5000) {}

  async read(pid: number, now = Date.now()): Promise<ProcInfo> {
    const hit = this.cache.get(pid);
    if (hit && now - hit.at < this.ttlMs) return hit.info;
    const dir = path.join(this.root, String(pid));
    const [cgroup, stat, status, cmdline] = await Promise.all(['cgroup', 'stat', 'status', 'cmdline'].map((f) => fs.readFile(path.join(dir, f), 'utf8').catch(() => null)));
    let info: ProcInfo;
    if (cgroup === null && stat === null) {
      info = { visible: false, container: null, pgrp: null, uid: null, user: null, command: null };
    } else {
      // comm may contain spaces and parentheses: fields start after the last ')'.
      const afterComm = stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ') : [];
      const pgrp = afterComm[2] !== undefined ? Number(afterComm[2]) : null;
      const uidMatch = status ? /^Uid:\s+(\d+)/m.exec(status) : null;
      const uid = uidMatch ? Number(uidMatch[1]) : null;
      info = {
        visible: true,
        container: cgroup ? containerFromCgroup(cgroup) : null,
        pgrp: Number.isInteger(pgrp) ? pgrp : null,
        uid,
        user: uid === null ? null : ((await this.userName(uid)) ?? String(uid)),
        command: cmdline ? cmdline.replace(/\0+$/, '').split('\0').join(' ') || null : null,
      };
    }
    this.cache.set(pid, { at: now, info });
    if (this.cache.size > 4096) for (const [k, v] of this.cache) if (now - v.at >= this.ttlMs) this.cache.delete(k);
    return info;
  }

  private async userName(uid: number): Promise<string | null> {
    if (!this.users) {
      this.users = new Map();
      const text = await fs.readFile(this.passwd, 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        const [name, , id] = line.split(':');
        if (name && id && /^\d+$/.test(id)) this.users.set(Number(id), name);
      }
    }
    return this.users.get(uid) ?? null;
  }
}

/** Lathe's side of the join: its runs' containers, process groups and GPU leases. */
export interface AttributionContext {
  /** Full container id → run. */
  containers: Map<string, { runId: string; runName: string }>;
  /** Process-runtime runs: process group id (the wrapper's pid) → run. */
  processGroups: Map<number, { runId: string; runName: string }>;
  /** GPU UUID (a MIG device's leases are listed under its parent too) → runs holding it. */
  leases: Map<string, Array<{ runId: string; runName: string }>>;
}

/**
 * Attributes GPU processes to Lathe runs: by container (from /proc/<pid>/cgroup) or process group
 * when /proc shows the process; when it does not (another PID namespace, already gone), by the
 * lease on its GPU if exactly one run holds it. The rest are foreign, with pid, user and command.
 * One process on several GPUs has one row per GPU, attributed alike.
 */
export async function attributeProcesses(procs: ReadonlyArray<ParsedProcess & { gpu_uuid: string; pid: number }>, ctx: AttributionContext, reader: ProcReader, now = Date.now()): Promise<GpuProcess[]> {
  return Promise.all(
    procs.map(async (p): Promise<GpuProcess> => {
      const info = await reader.read(p.pid, now);
      const base: GpuProcess = { pid: p.pid, gpu_uuid: p.gpu_uuid, process_name: p.process_name, used_memory_mib: p.used_memory_mib, container_id: info.container?.id ?? null, run_id: null, run_name: null, owner: 'foreign', attributed_by: null, user: info.user, command: info.command };
      if (info.container) {
        const run = ctx.containers.get(info.container.id);
        return run ? { ...base, run_id: run.runId, run_name: run.runName, owner: 'lathe', attributed_by: 'cgroup' } : base;
      }
      if (info.visible) {
        const run = info.pgrp !== null ? ctx.processGroups.get(info.pgrp) : undefined;
        return run ? { ...base, run_id: run.runId, run_name: run.runName, owner: 'lathe', attributed_by: 'pid' } : base;
      }
      const holders = ctx.leases.get(p.gpu_uuid) ?? [];
      const unique = [...new Map(holders.map((h) => [h.runId, h])).values()];
      if (unique.length === 1) return { ...base, run_id: unique[0]!.runId, run_name: unique[0]!.runName, owner: 'lathe', attributed_by: 'lease' };
      return base;
    }),
  );
}

import type Docker from 'dockerode';

/** One container's CPU and memory, from the Docker engine's stats. */
export interface ContainerUsage {
  /** CPU use in percent of one core (200 = two cores busy), over the time since the previous reading; null on the first. */
  cpu_pct: number | null;
  memory_used_bytes: number;
  memory_limit_bytes: number;
}

interface StatsBody {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

/**
 * Per-container CPU and memory from `GET /containers/{id}/stats?stream=false&one-shot=true`
 * (Engine API ≥ 1.41; one-shot skips the engine's one-second pre-read). CPU percent is computed
 * here from two successive readings, as `docker stats` does: Δcontainer / Δsystem × CPUs × 100.
 * Memory excludes the page cache (`inactive_file`), like `docker stats`.
 */
export class ContainerStats {
  private readonly previous = new Map<string, { container: number; system: number }>();

  constructor(private readonly docker: Docker) {}

  /** The usage of a running container; null when it is gone or the engine does not answer. */
  async read(containerId: string): Promise<ContainerUsage | null> {
    let body: StatsBody;
    try {
      body = (await this.docker.getContainer(containerId).stats({ stream: false, 'one-shot': true } as { stream: false })) as unknown as StatsBody;
    } catch {
      this.previous.delete(containerId);
      return null;
    }
    const total = body.cpu_stats?.cpu_usage?.total_usage;
    const system = body.cpu_stats?.system_cpu_usage;
    let cpu: number | null = null;
    const prev = this.previous.get(containerId);
    if (total !== undefined && system !== undefined) {
      if (prev && system > prev.system) cpu = ((total - prev.container) / (system - prev.system)) * (body.cpu_stats?.online_cpus ?? 1) * 100;
      this.previous.set(containerId, { container: total, system });
    }
    const usage = body.memory_stats?.usage ?? 0;
    const cache = body.memory_stats?.stats?.inactive_file ?? body.memory_stats?.stats?.total_inactive_file ?? 0;
    return { cpu_pct: cpu === null ? null : Math.max(0, Math.round(cpu * 10) / 10), memory_used_bytes: Math.max(0, usage - cache), memory_limit_bytes: body.memory_stats?.limit ?? 0 };
  }

  /** Forgets a container (it ended). */
  forget(containerId: string): void {
    this.previous.delete(containerId);
  }
}

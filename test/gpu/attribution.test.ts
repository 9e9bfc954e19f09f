import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Docker from 'dockerode';
import { ProcReader, attributeProcesses, containerFromCgroup, type AttributionContext } from '../../src/main/core/gpu/attribution';

const ID = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef0123456789abcdef01234567';
const INNER = 'b'.repeat(64);

describe('container ids from /proc/<pid>/cgroup (patterns from ../shared/notes/gpu.md §1(b))', () => {
  it('cgroup v1, cgroupfs driver', () => {
    expect(containerFromCgroup(`12:pids:/docker/${ID}\n11:memory:/docker/${ID}\n1:name=systemd:/docker/${ID}\n0::/\n`)).toEqual({ id: ID, runtime: 'docker' });
  });
  it('cgroup v1, systemd driver', () => {
    expect(containerFromCgroup(`11:memory:/system.slice/docker-${ID}.scope\n1:name=systemd:/system.slice/docker-${ID}.scope\n`)).toEqual({ id: ID, runtime: 'docker' });
  });
  it('cgroup v2, systemd and cgroupfs drivers', () => {
    expect(containerFromCgroup(`0::/system.slice/docker-${ID}.scope\n`)).toEqual({ id: ID, runtime: 'docker' });
    expect(containerFromCgroup(`0::/docker/${ID}\n`)).toEqual({ id: ID, runtime: 'docker' });
  });
  it('Kubernetes (containerd, CRI-O) and Podman; the conmon monitor is not the container', () => {
    expect(containerFromCgroup(`0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1234.slice/cri-containerd-${ID}.scope\n`)).toEqual({ id: ID, runtime: 'containerd' });
    expect(containerFromCgroup(`0::/kubepods.slice/kubepods-burstable-pod99.slice/crio-${ID}.scope\n`)).toEqual({ id: ID, runtime: 'crio' });
    expect(containerFromCgroup(`0::/machine.slice/libpod-${ID}.scope\n`)).toEqual({ id: ID, runtime: 'podman' });
    expect(containerFromCgroup(`0::/machine.slice/libpod-conmon-${ID}.scope\n`)).toBeNull();
  });
  it('docker-in-docker names the inner container; host processes and a private namespace name none', () => {
    expect(containerFromCgroup(`0::/docker/${ID}/docker/${INNER}\n`)).toEqual({ id: INNER, runtime: 'docker' });
    expect(containerFromCgroup('0::/user.slice/user-1000.slice/session-2.scope\n')).toBeNull();
    expect(containerFromCgroup('0::/\n')).toBeNull();
    // This machine's own form: v1 with a non-container memory path.
    expect(containerFromCgroup('4:memory:/process_api/f05f96697ff191e8578d832aa067fdf7\n0::/\n')).toBeNull();
  });
});

describe('attribution against real processes', () => {
  const docker = new Docker();
  let container: Docker.Container;
  let pid: number;
  beforeAll(async () => {
    container = await docker.createContainer({ Image: process.env.LATHE_TEST_IMAGE ?? 'lathe/python-sklearn:bookworm', Cmd: ['sleep', '60'], Labels: { 'lathe.test': 'attribution' }, HostConfig: { AutoRemove: false } });
    await container.start();
    pid = (await container.inspect()).State.Pid;
  }, 60_000);
  afterAll(async () => {
    await container?.remove({ force: true }).catch(() => {});
  });

  it("a container's process maps to its Lathe run through /proc/<pid>/cgroup; a host process is foreign with user and command; an invisible pid falls back to the GPU's lease", async () => {
    const reader = new ProcReader();
    const info = await reader.read(pid);
    expect(info.visible).toBe(true);
    expect(info.container).toEqual({ id: container.id, runtime: 'docker' });
    expect(info.command).toBe('sleep 60');

    const ctx: AttributionContext = {
      containers: new Map([[container.id, { runId: 'r1'.padEnd(32, '0'), runName: 'brave-owl-1' }]]),
      processGroups: new Map(),
      leases: new Map([['GPU-1', [{ runId: 'r2'.padEnd(32, '0'), runName: 'calm-fox-2' }]]]),
    };
    const gone = 2 ** 22 + 12345; // above pid_max: never a live process
    const procs = [
      { gpu_uuid: 'GPU-0', pid, process_name: 'sleep', used_memory_mib: 100, timestamp: null },
      // The same process on a second GPU: attributed alike.
      { gpu_uuid: 'GPU-1', pid, process_name: 'sleep', used_memory_mib: 50, timestamp: null },
      { gpu_uuid: 'GPU-0', pid: process.pid, process_name: 'node', used_memory_mib: 10, timestamp: null },
      { gpu_uuid: 'GPU-1', pid: gone, process_name: 'python', used_memory_mib: 4000, timestamp: null },
      { gpu_uuid: 'GPU-0', pid: gone, process_name: 'python', used_memory_mib: 4000, timestamp: null },
    ];
    const out = await attributeProcesses(procs, ctx, reader);
    expect(out[0]).toMatchObject({ owner: 'lathe', attributed_by: 'cgroup', run_id: ctx.containers.get(container.id)!.runId, run_name: 'brave-owl-1', container_id: container.id, user: 'root', command: 'sleep 60' });
    expect(out[1]).toMatchObject({ owner: 'lathe', attributed_by: 'cgroup', gpu_uuid: 'GPU-1', run_name: 'brave-owl-1' });
    expect(out[2]).toMatchObject({ owner: 'foreign', attributed_by: null, run_id: null, container_id: null, user: 'root' });
    expect(out[2]!.command).toContain('node');
    expect(out[3]).toMatchObject({ owner: 'lathe', attributed_by: 'lease', run_name: 'calm-fox-2', user: null, command: null });
    expect(out[4]).toMatchObject({ owner: 'foreign', attributed_by: null, run_id: null });
  });

  it("a process-runtime run's children map through their process group", async () => {
    const reader = new ProcReader();
    const me = await reader.read(process.pid);
    const ctx: AttributionContext = { containers: new Map(), processGroups: new Map([[me.pgrp!, { runId: 'p'.repeat(32), runName: 'host-run' }]]), leases: new Map() };
    const [p] = await attributeProcesses([{ gpu_uuid: 'GPU-0', pid: process.pid, process_name: 'node', used_memory_mib: 1, timestamp: null }], ctx, reader);
    expect(p).toMatchObject({ owner: 'lathe', attributed_by: 'pid', run_name: 'host-run' });
  });
});

import { describe, expect, it } from 'vitest';
import { planQueue, resolveDevice, type PlanGpu } from '../../src/main/core/queue/gpu-plan';

// The H100's MIG UUIDs are fixture 02's; the rest are made up for the planner alone.
const H100 = 'GPU-00000000-0000-0000-0000-000000000000';
const MIG = ['MIG-00000000-0000-0000-0000-000000000000', 'MIG-00000001-0000-0000-0000-000000000001'];
const gpus: PlanGpu[] = [
  { uuid: H100, index: 0, mig: MIG, foreignMemoryMib: 0 },
  { uuid: 'GPU-B', index: 1, mig: [], foreignMemoryMib: 0 },
  { uuid: 'GPU-C', index: 2, mig: [], foreignMemoryMib: 5000 },
];
const e = (runId: string, request: number | string[] | 'all') => ({ runId, runName: `run-${runId}`, request });

describe('planQueue', () => {
  it('resolves indexes, GPU UUIDs (any case) and MIG UUIDs', () => {
    expect(resolveDevice('1', gpus)).toMatchObject({ uuid: 'GPU-B', mig: false });
    expect(resolveDevice(H100.toLowerCase().replace('gpu', 'GPU'), gpus)).toMatchObject({ uuid: H100 });
    expect(resolveDevice(MIG[1]!, gpus)).toMatchObject({ uuid: MIG[1], gpu: { uuid: H100 }, mig: true });
    expect(resolveDevice('7', gpus)).toBeNull();
  });

  it('counts take the lowest free indexes; a GPU over the foreign threshold is skipped', () => {
    expect(planQueue([e('a', 2)], gpus, [], 1024)).toEqual([{ runId: 'a', assign: [{ uuid: H100, index: 0, slot: 0 }, { uuid: 'GPU-B', index: 1, slot: 1 }] }]);
    expect(planQueue([e('a', 3)], gpus, [], 1024)).toEqual([{ runId: 'a', wait: 'waiting for 3 GPUs (2 free); GPU 2 has 5000 MiB in use outside Lathe (limit 1024 MiB)' }]);
    expect(planQueue([e('a', 3)], gpus, [], 8000)[0]).toHaveProperty('assign');
  });

  it('a MIG lease blocks its parent; a whole-GPU lease blocks its MIG devices; other MIG slices stay free', () => {
    const leases = [{ runId: 'x'.repeat(32), runName: 'mig-run', gpuUuid: MIG[0]! }];
    expect(planQueue([e('a', ['0'])], gpus, leases, 1024)).toEqual([{ runId: 'a', wait: `waiting for GPU 0; GPU 0 held by run mig-run (xxxxxxxx)` }]);
    expect(planQueue([e('a', [MIG[1]!])], gpus, leases, 1024)).toEqual([{ runId: 'a', assign: [{ uuid: MIG[1], index: 0, slot: 0 }] }]);
    const whole = [{ runId: 'y'.repeat(32), runName: 'big', gpuUuid: H100 }];
    expect(planQueue([e('a', [MIG[1]!])], gpus, whole, 1024)[0]).toEqual({ runId: 'a', wait: `waiting for GPU ${MIG[1]}; ${MIG[1]} held by run big (yyyyyyyy)` });
  });

  it('FIFO: a waiting run keeps the free GPUs it could use, so later runs cannot starve it', () => {
    const leases = [{ runId: 'h'.repeat(32), runName: 'holder', gpuUuid: 'GPU-B' }];
    const out = planQueue([e('big', 2), e('small', 1)], gpus.slice(0, 2), leases, 1024);
    expect(out[0]).toEqual({ runId: 'big', wait: 'waiting for 2 GPUs (1 free); GPU 1 held by run holder (hhhhhhhh)' });
    expect(out[1]).toEqual({ runId: 'small', wait: 'waiting for 1 GPU (0 free); GPU 0 kept for run run-big, earlier in the queue; GPU 1 held by run holder (hhhhhhhh)' });
  });

  it('refuses what can never fit; waits (never refuses) without readings', () => {
    expect(planQueue([e('a', ['5'])], gpus, [], 1024)).toEqual([{ runId: 'a', refuse: 'No GPU 5 on this machine (GPUs: 0, 1, 2).' }]);
    expect(planQueue([e('a', 4)], gpus, [], 1024)).toEqual([{ runId: 'a', refuse: 'Asks for 4 GPUs; this machine has 3 GPUs.' }]);
    expect(planQueue([e('a', 'all')], gpus, [], 8000)[0]).toHaveProperty('assign');
    expect(planQueue([e('a', 1)], [], [], 1024)).toEqual([{ runId: 'a', wait: 'waiting for GPU readings' }]);
  });
});

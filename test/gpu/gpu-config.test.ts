import { describe, expect, it } from 'vitest';
import { gpuConfigFromEnv } from '../../src/main/core/gpu/gpu-stack';

describe('GPU settings from the environment', () => {
  it('reads each variable and ignores what is not a valid value', () => {
    expect(gpuConfigFromEnv({})).toEqual({ nvidiaSmi: undefined, intervalMs: undefined, foreignMemoryThresholdMib: undefined, retentionDays: undefined, requestMode: undefined, runMetricsIntervalMs: undefined });
    expect(
      gpuConfigFromEnv({ LATHE_NVIDIA_SMI: '/opt/replay', LATHE_GPU_INTERVAL_MS: '500', LATHE_GPU_FOREIGN_MEMORY_MIB: '0', LATHE_GPU_RETENTION_DAYS: '7', LATHE_GPU_REQUEST_MODE: 'env-only', LATHE_SYSTEM_METRICS_INTERVAL_MS: '2000' }),
    ).toEqual({ nvidiaSmi: '/opt/replay', intervalMs: 500, foreignMemoryThresholdMib: 0, retentionDays: 7, requestMode: 'env-only', runMetricsIntervalMs: 2000 });
    expect(gpuConfigFromEnv({ LATHE_GPU_INTERVAL_MS: 'fast', LATHE_GPU_REQUEST_MODE: 'yes', LATHE_GPU_FOREIGN_MEMORY_MIB: 'lots' })).toMatchObject({ intervalMs: undefined, requestMode: undefined, foreignMemoryThresholdMib: undefined });
  });
});

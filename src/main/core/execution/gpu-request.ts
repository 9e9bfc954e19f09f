import type { GpuRequest } from '../../../shared/api/run-spec';

/** Docker's DeviceRequest for NVIDIA GPUs (Engine API ≥1.40, `HostConfig.DeviceRequests`). */
export interface DeviceRequest {
  Driver: string;
  Count?: number;
  DeviceIDs?: string[];
  Capabilities: string[][];
}

/**
 * The container's GPU request and environment for a spec's `gpus` field, as `docker run
 * --gpus` builds them: driver "nvidia", capabilities [["gpu"]], either Count (−1 = all) or
 * DeviceIDs (indexes or UUIDs). NVIDIA_VISIBLE_DEVICES is set for explicit devices and "all".
 * Source: ../shared/notes/gpu.md, Docker Engine API HostConfig.DeviceRequests.
 */
export function dockerGpuRequest(gpus: GpuRequest | undefined): { deviceRequests: DeviceRequest[]; env: Record<string, string> } {
  if (gpus === undefined || gpus === 0) return { deviceRequests: [], env: {} };
  const capabilities = [['gpu']];
  if (gpus === 'all') return { deviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: capabilities }], env: { NVIDIA_VISIBLE_DEVICES: 'all' } };
  if (typeof gpus === 'number') return { deviceRequests: [{ Driver: 'nvidia', Count: gpus, Capabilities: capabilities }], env: {} };
  return { deviceRequests: [{ Driver: 'nvidia', DeviceIDs: gpus, Capabilities: capabilities }], env: { NVIDIA_VISIBLE_DEVICES: gpus.join(',') } };
}

/**
 * CUDA_VISIBLE_DEVICES for the process runtime: explicit devices as given, a count as the
 * first N indexes, 0 as "" (no GPU), "all" or none: unset (inherit).
 */
export function processGpuEnv(gpus: GpuRequest | undefined): Record<string, string> {
  if (gpus === undefined || gpus === 'all') return {};
  if (gpus === 0) return { CUDA_VISIBLE_DEVICES: '' };
  if (typeof gpus === 'number') return { CUDA_VISIBLE_DEVICES: Array.from({ length: gpus }, (_, i) => String(i)).join(',') };
  return { CUDA_VISIBLE_DEVICES: gpus.join(',') };
}

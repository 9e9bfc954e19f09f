import { describe, expect, it } from 'vitest';
import { dockerGpuRequest, processGpuEnv } from './gpu-request';

describe('dockerGpuRequest', () => {
  it('asks for nothing without GPUs', () => {
    expect(dockerGpuRequest(undefined)).toEqual({ deviceRequests: [], env: {} });
    expect(dockerGpuRequest(0)).toEqual({ deviceRequests: [], env: {} });
  });
  it('asks for a count like `docker run --gpus 2`', () => {
    expect(dockerGpuRequest(2)).toEqual({ deviceRequests: [{ Driver: 'nvidia', Count: 2, Capabilities: [['gpu']] }], env: {} });
  });
  it('asks for explicit devices by index or UUID and sets NVIDIA_VISIBLE_DEVICES', () => {
    expect(dockerGpuRequest(['0', '2'])).toEqual({
      deviceRequests: [{ Driver: 'nvidia', DeviceIDs: ['0', '2'], Capabilities: [['gpu']] }],
      env: { NVIDIA_VISIBLE_DEVICES: '0,2' },
    });
    const uuid = 'GPU-5b3f0c1e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    expect(dockerGpuRequest([uuid]).deviceRequests[0]!.DeviceIDs).toEqual([uuid]);
  });
  it('"all" is Count -1', () => {
    expect(dockerGpuRequest('all')).toEqual({ deviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }], env: { NVIDIA_VISIBLE_DEVICES: 'all' } });
  });
});

describe('processGpuEnv', () => {
  it('maps requests to CUDA_VISIBLE_DEVICES', () => {
    expect(processGpuEnv(undefined)).toEqual({});
    expect(processGpuEnv('all')).toEqual({});
    expect(processGpuEnv(0)).toEqual({ CUDA_VISIBLE_DEVICES: '' });
    expect(processGpuEnv(3)).toEqual({ CUDA_VISIBLE_DEVICES: '0,1,2' });
    expect(processGpuEnv(['1', '3'])).toEqual({ CUDA_VISIBLE_DEVICES: '1,3' });
  });
});

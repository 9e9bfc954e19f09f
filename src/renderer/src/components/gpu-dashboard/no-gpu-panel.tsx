import type { GpuSnapshot } from '../../../../shared/api/gpu-types';

const TITLES: Record<string, string> = {
  not_installed: 'No NVIDIA driver found',
  driver_not_loaded: 'The NVIDIA driver is not loaded',
  driver_library_mismatch: 'NVIDIA driver and library versions differ',
  nvml_not_found: 'The NVIDIA management library is missing',
  no_devices: 'No NVIDIA GPU found',
  gpu_lost: 'A GPU fell off the bus',
  device_error: 'A GPU cannot be read',
  insufficient_permissions: 'No permission to read the GPUs',
  inforom_corrupted: "A GPU's infoROM is corrupted",
  unknown_error: 'nvidia-smi failed',
};

/** Shown instead of GPU cards when nvidia-smi gives no table: the state, the driver's words and what to do. */
export function NoGpuPanel({ snapshot }: { snapshot: GpuSnapshot }) {
  const { state } = snapshot;
  return (
    <div className="panel gpu-none" role="status" data-testid="no-gpu-panel" data-state={state.code}>
      <div className="panel-title">{TITLES[state.code] ?? 'No NVIDIA GPU readings'}</div>
      {state.message && (
        <pre className="gpu-driver-message" data-testid="no-gpu-message">
          {state.message}
        </pre>
      )}
      {state.hint && <p className="panel-message">{state.hint}</p>}
      <p className="panel-detail">
        <code>{state.code}</code>
        {state.exitCode !== null && <span> · exit status {state.exitCode}</span>}
        <span> · {snapshot.nvidia_smi}</span>
      </p>
      <p className="panel-detail">CPU runs still work; runs that ask for GPUs are handed to Docker as asked, which refuses them without the NVIDIA runtime.</p>
    </div>
  );
}

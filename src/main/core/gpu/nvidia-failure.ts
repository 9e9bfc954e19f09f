import type { GpuState, GpuStateCode } from '../../../shared/api/gpu-types';

interface Rule {
  code: GpuStateCode;
  text: RegExp;
  hint: string;
}

/**
 * What nvidia-smi prints when it cannot show a table, and what a person can do about it. Text
 * from the fixtures 26-31; exit codes follow NVML's return codes (9 driver not loaded,
 * 12 library not found, 14 corrupted infoROM, 15 GPU lost; ../shared/notes/gpu.md §1(a)).
 */
const RULES: Rule[] = [
  {
    code: 'driver_not_loaded',
    text: /couldn't communicate with the NVIDIA driver|driver not loaded/i,
    hint: 'The NVIDIA kernel driver is not loaded. Check `lsmod | grep nvidia`; after a driver upgrade, reboot (or reinstall the driver package for the running kernel).',
  },
  {
    code: 'driver_library_mismatch',
    text: /Driver\/library version mismatch/i,
    hint: 'The NVIDIA user-space library and the loaded kernel module are different versions, usually after a driver upgrade without a reboot. Reboot the machine.',
  },
  {
    code: 'nvml_not_found',
    text: /NVML Shared Library Not Found|libnvidia-ml\.so|Unable to load the NVML/i,
    hint: 'nvidia-smi cannot find libnvidia-ml. Reinstall the NVIDIA driver (the utils package that ships NVML).',
  },
  {
    code: 'no_devices',
    text: /No devices were found/i,
    hint: 'The driver is loaded but initialised no GPU. Check `dmesg` for RmInitAdapter errors (often a BIOS setting such as Above 4G decoding / Resizable BAR), and that the card is seated and powered.',
  },
  {
    code: 'gpu_lost',
    text: /GPU is lost|fallen off the bus/i,
    hint: 'A GPU fell off the bus (power, heat or a hardware fault). Runs on it have failed; reboot the machine to recover it, and check power and cooling.',
  },
  {
    code: 'inforom_corrupted',
    text: /infoROM is corrupted/i,
    hint: "The GPU's infoROM is corrupted. The GPU may still work; contact the vendor about reflashing it.",
  },
  {
    code: 'insufficient_permissions',
    text: /Insufficient Permissions|permission denied/i,
    hint: 'nvidia-smi was refused access to the GPU device files. Run Lathe as a user who can read /dev/nvidia*.',
  },
  {
    code: 'device_error',
    text: /Unable to determine the device handle for GPU|Unknown Error/i,
    hint: 'The driver could not read a GPU (an Unknown Error for its device handle). Runs on it may hang; reboot the machine to recover it.',
  },
];

const EXIT_CODES: Record<number, GpuStateCode> = { 9: 'driver_not_loaded', 12: 'nvml_not_found', 14: 'inforom_corrupted', 15: 'gpu_lost' };

const HINTS: Partial<Record<GpuStateCode, string>> = {
  not_installed: 'nvidia-smi was not found. Install the NVIDIA driver, or point LATHE_NVIDIA_SMI at nvidia-smi. Machines without an NVIDIA GPU can still run CPU jobs.',
  unknown_error: 'nvidia-smi failed. Run it in a terminal to see the whole message.',
};

/**
 * Names the failure from nvidia-smi's exit status first, then its output (fixtures 26-31), with
 * the driver's message kept verbatim and a plain-language hint.
 */
export function classifyFailure(output: string, exitCode: number | null, now = Date.now()): GpuState {
  const message = output.replace(/\r/g, '').trim() || (exitCode !== null ? `nvidia-smi exited with status ${exitCode}` : 'nvidia-smi printed nothing');
  const byExit = exitCode !== null ? EXIT_CODES[exitCode] : undefined;
  const rule = byExit ? RULES.find((r) => r.code === byExit) : RULES.find((r) => r.text.test(message));
  const code = rule?.code ?? byExit ?? 'unknown_error';
  return { code, message, hint: rule?.hint ?? HINTS[code] ?? HINTS.unknown_error!, exitCode, since: now };
}

/** The state for a missing nvidia-smi (spawn ENOENT). */
export function notInstalled(path: string, now = Date.now()): GpuState {
  return { code: 'not_installed', message: `${path}: not found`, hint: HINTS.not_installed!, exitCode: null, since: now };
}

/** True when a line in a data stream reports one unreadable device (fx 31) rather than data. */
export function isDeviceWarning(line: string): boolean {
  return /Unable to determine the device handle for GPU/i.test(line);
}

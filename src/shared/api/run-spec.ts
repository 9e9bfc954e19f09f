import { z } from 'zod';

/** Names Docker accepts for an image reference (name[:tag][@digest]), kept loose on purpose. */
const imageRef = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/, 'not a valid image reference');

const envKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and _');

/**
 * GPUs a run asks for: a count, or specific devices by index or UUID (MIG UUIDs too).
 * Omitted or 0: no GPU.
 */
export const gpuRequest = z.union([
  z.number().int().min(0).max(64),
  z.array(z.string().trim().regex(/^(\d+|GPU-[0-9a-fA-F-]+|MIG-[0-9a-zA-Z/-]+)$/, 'a GPU index (0) or UUID (GPU-…, MIG-…)')).min(1).max(64),
  z.literal('all'),
]);
export type GpuRequest = z.infer<typeof gpuRequest>;

/**
 * A run spec: what to run, where, with which resources. Validated at the API; the main
 * process turns it into a container or child process — clients never send raw container
 * options (the Docker socket is root-equivalent).
 */
export const runSpecSchema = z
  .object({
    experimentId: z.string().min(1).max(64).optional(),
    /** Created when it does not exist. */
    experimentName: z.string().trim().min(1).max(500).optional(),
    name: z.string().trim().max(250).optional(),
    /** docker (default when the engine answers) or process (a child process on the host). */
    runtime: z.enum(['docker', 'process']).optional(),
    /** Required for the docker runtime. */
    image: imageRef.optional(),
    /** argv; the first element is the program. */
    command: z.array(z.string().max(32_768)).min(1).max(1000),
    /** Host folder with the code: snapshotted into the run; the working directory of the run. */
    workdir: z.string().min(1).max(4096).optional(),
    env: z.record(envKey, z.string().max(32_768)).default({}),
    params: z.record(z.string().min(1).max(250), z.string().max(6000)).default({}),
    gpus: gpuRequest.optional(),
    /** CPU cores (fractions allowed). */
    cpus: z.number().positive().max(1024).optional(),
    /** Memory limit in MiB. */
    memoryMb: z.number().int().min(6).max(16_777_216).optional(),
    /** Seconds between SIGTERM and SIGKILL when the run is stopped; default 10. */
    stopGraceSeconds: z.number().int().min(0).max(3600).optional(),
  });

export type RunSpecInput = z.input<typeof runSpecSchema>;
export type RunSpec = z.output<typeof runSpecSchema>;

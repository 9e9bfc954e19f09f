import { z } from 'zod';

/**
 * An image reference as Docker's reference grammar defines it
 * (github.com/distribution/reference, reference.go): optional registry host[:port]/, lowercase
 * path components separated by `.`, `_`, `__` or dashes, optional `:tag`, optional `@sha256:<64 hex>`.
 */
const IMAGE_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REF = new RegExp(
  `^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?${IMAGE_COMPONENT}(?:/${IMAGE_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);
const imageRef = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .regex(IMAGE_REF, 'not a valid image reference (lowercase name[:tag][@sha256:…], e.g. lathe/python-sklearn:bookworm)');

const NO_NUL = /^[^\0]*$/;
const noNul = (what: string) => z.string().regex(NO_NUL, `${what} must not contain NUL bytes`);
/** An absolute path (POSIX, or a Windows drive path): the server resolves nothing relative to its own folder. */
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(NO_NUL, 'a path must not contain NUL bytes')
  .regex(/^(\/|[A-Za-z]:[\\/])/, 'must be an absolute path');

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
    command: z.array(noNul('command arguments').max(32_768)).min(1).max(1000).refine((argv) => argv.length === 0 || argv[0]!.trim() !== '', { message: 'the program (first element) must not be empty' }),
    /** Host folder with the code: snapshotted into the run; the working directory of the run. */
    workdir: absolutePath.optional(),
    env: z.record(envKey, noNul('environment values').max(32_768)).default({}),
    params: z.record(z.string().min(1).max(250), z.string().max(6000)).default({}),
    gpus: gpuRequest.optional(),
    /** CPU cores (fractions allowed). */
    cpus: z.number().positive().max(1024).optional(),
    /** Memory limit in MiB. */
    memoryMb: z.number().int().min(6).max(16_777_216).optional(),
    /** GPU queue priority: higher is served first; equal priorities in arrival order. Default 0. */
    priority: z.number().int().min(-1000).max(1000).optional(),
    /** Cap on the code snapshot in MiB; default 100. */
    snapshotLimitMb: z.number().int().min(1).max(100_000).optional(),
    /** Seconds between SIGTERM and SIGKILL when the run is stopped; default 10. */
    stopGraceSeconds: z.number().int().min(0).max(3600).optional(),
    /**
     * Dataset versions the run reads: "NAME" (latest) or "NAME@VERSION" (a digest prefix).
     * Mounted read-only at /data/NAME in containers; LATHE_DATASET_<NAME> holds the path.
     */
    datasets: z.array(z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(@(sha256:)?[0-9a-fA-F]{1,64})?$/, 'NAME or NAME@VERSION')).max(32).optional(),
    /** Refuse the run unless every dataset passes its stored validation rules. */
    requireValid: z.boolean().optional(),
  })
  .refine((s) => !(s.experimentId && s.experimentName), { message: 'give experimentId or experimentName, not both', path: ['experimentName'] });

export type RunSpecInput = z.input<typeof runSpecSchema>;
export type RunSpec = z.output<typeof runSpecSchema>;

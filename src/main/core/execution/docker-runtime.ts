import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Docker from 'dockerode';
import tar from 'tar-fs';
import { LatheError } from '../../../shared/errors';
import { dockerGpuRequest } from './gpu-request';
import type { ExitResult, LaunchRequest, LaunchResult, Runtime, RuntimeHandle } from './runtime';

/** Label every Lathe container carries; reconciliation finds runs by it. */
export const RUN_LABEL = 'lathe.run_id';
export const HOME_LABEL = 'lathe.home';
/** Where the snapshot is copied in the container, and its working directory. */
export const CONTAINER_WORKDIR = '/workspace';
/** Where Lathe's Python client is mounted read-only. */
export const CONTAINER_PYTHON_DIR = '/opt/lathe/python';

/** Engine's refusal when no NVIDIA runtime/toolkit is installed (../shared/notes/gpu.md). */
const NO_GPU_DRIVER = /could not select device driver .* with capabilities: \[\[gpu\]\]/;

export interface DockerRuntimeOptions {
  docker?: Docker;
  /** Host folder with Lathe's Python client, bind-mounted read-only. */
  pythonClientDir: string;
  /** Data directory, recorded as a label so several Lathe homes can share one engine. */
  home: string;
  /**
   * `device-requests` (default): GPUs are asked for with HostConfig.DeviceRequests.
   * `env-only` (tests and development on machines without the NVIDIA runtime, set with
   * LATHE_GPU_REQUEST_MODE=env-only): the DeviceRequests are built and reported as intended
   * (tag `lathe.gpu.intended_device_requests`) but not sent, and NVIDIA_VISIBLE_DEVICES is still
   * set, so a CPU-only container runs; what the engine recorded stays what it received (none).
   */
  gpuRequestMode?: 'device-requests' | 'env-only';
}

/** Describes why the engine could not be reached, for users (and suggests the process runtime). */
export function dockerUnavailableMessage(err: unknown): string {
  const detail = err instanceof Error ? err.message : String(err);
  return `The Docker engine is not reachable (${detail}). Start it (e.g. \`sudo systemctl start docker\`), or run without Docker: --runtime process.`;
}

/**
 * Runs on the local Docker engine (dockerode). A run is one container labelled
 * `lathe.run_id`, with the code snapshot copied into /workspace (the host folder is never
 * mounted writable), Lathe's Python client mounted read-only, GPUs requested through
 * `HostConfig.DeviceRequests`, and CPU/memory limits from the spec. Logs are demultiplexed
 * into the run's log file.
 */
export class DockerRuntime implements Runtime {
  readonly kind = 'docker' as const;
  readonly docker: Docker;

  constructor(private readonly opts: DockerRuntimeOptions) {
    this.docker = opts.docker ?? new Docker();
  }

  /** Engine version, or throws LatheError TEMPORARILY_UNAVAILABLE with a user-facing reason. */
  async ping(): Promise<{ version: string; apiVersion: string }> {
    try {
      const v = await this.docker.version();
      return { version: v.Version, apiVersion: v.ApiVersion };
    } catch (err) {
      throw new LatheError('TEMPORARILY_UNAVAILABLE', dockerUnavailableMessage(err));
    }
  }

  /** Local images with tags, newest first: [{ref, id, sizeBytes, created (ms)}]. */
  async listImages(): Promise<Array<{ ref: string; id: string; sizeBytes: number; created: number }>> {
    const images = await this.docker.listImages();
    return images
      .flatMap((img) => (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>').map((ref) => ({ ref, id: img.Id, sizeBytes: img.Size, created: img.Created * 1000 })))
      .sort((a, b) => b.created - a.created);
  }

  async launch(req: LaunchRequest): Promise<LaunchResult> {
    const { spec } = req;
    const image = spec.image;
    if (!image) throw new LatheError('INVALID_PARAMETER_VALUE', 'The docker runtime needs an image (--image).', { field: 'image' });
    let imageId: string;
    try {
      imageId = (await this.docker.getImage(image).inspect()).Id;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) {
        throw new LatheError(
          'INVALID_PARAMETER_VALUE',
          `Image '${image}' not found locally. Build Lathe's training image with scripts/build-image.sh (works offline with a Debian mirror), or on a machine with internet pull one: docker pull ${image}`,
          { field: 'image' },
        );
      }
      if ((err as { statusCode?: number }).statusCode === 400) {
        throw new LatheError('INVALID_PARAMETER_VALUE', `'${image}' is not a valid image reference: ${(err as { json?: { message?: string } }).json?.message ?? (err as Error).message}`, { field: 'image' });
      }
      throw new LatheError('TEMPORARILY_UNAVAILABLE', dockerUnavailableMessage(err));
    }
    const gpu = dockerGpuRequest(req.gpus ?? spec.gpus);
    const envOnly = this.opts.gpuRequestMode === 'env-only' && gpu.deviceRequests.length > 0;
    const env = { ...req.env, ...gpu.env, PYTHONPATH: [CONTAINER_PYTHON_DIR, req.env.PYTHONPATH].filter(Boolean).join(':') };
    const container = await this.docker.createContainer({
      Image: image,
      Cmd: spec.command,
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      WorkingDir: CONTAINER_WORKDIR,
      Labels: { [RUN_LABEL]: req.runId, [HOME_LABEL]: this.opts.home },
      Tty: false,
      HostConfig: {
        Binds: [`${this.opts.pythonClientDir}:${CONTAINER_PYTHON_DIR}:ro`, ...(req.mounts ?? []).map((m) => `${m.source}:${m.target}:ro`)],
        DeviceRequests: gpu.deviceRequests.length && !envOnly ? gpu.deviceRequests : undefined,
        NanoCpus: spec.cpus ? Math.round(spec.cpus * 1e9) : undefined,
        Memory: spec.memoryMb ? spec.memoryMb * 1024 * 1024 : undefined,
        // Training data loaders use shared memory; Docker's 64 MiB default breaks PyTorch workers.
        ShmSize: 1024 * 1024 * 1024,
        Init: true,
      },
    });
    // What the engine recorded, so the run's record shows the GPU request Docker really got.
    const deviceRequests = ((await container.inspect()).HostConfig as { DeviceRequests?: unknown[] | null }).DeviceRequests ?? null;
    try {
      if (req.snapshotDir) {
        await container.putArchive(tar.pack(req.snapshotDir) as unknown as NodeJS.ReadableStream, { path: CONTAINER_WORKDIR });
      }
      await container.start();
    } catch (err) {
      const raw = (err as { json?: { message?: string }; message?: string }).json?.message ?? (err as Error).message;
      const error = NO_GPU_DRIVER.test(raw)
        ? new LatheError(
            'INVALID_STATE',
            `The Docker engine cannot give this container a GPU: ${raw}. Install the NVIDIA Container Toolkit (nvidia-container-toolkit) and restart Docker, or run without --gpus.`,
            { containerId: container.id, deviceRequests },
          )
        : new LatheError('INVALID_STATE', `The container could not start: ${raw}`, { containerId: container.id, deviceRequests });
      throw error;
    }
    return { containerId: container.id, imageDigest: imageId, deviceRequests, intendedDeviceRequests: envOnly ? gpu.deviceRequests : undefined };
  }

  async wait(handle: RuntimeHandle, logPath: string, resume: boolean): Promise<ExitResult> {
    const container = this.docker.getContainer(handle.containerId!);
    // On resume, rebuild the whole log from Docker's record: it holds what Lathe missed.
    const out = fs.createWriteStream(logPath, { flags: resume ? 'w' : 'a' });
    try {
      const stream = (await container.logs({ follow: true, stdout: true, stderr: true, since: 0 })) as unknown as NodeJS.ReadableStream;
      const merged = new PassThrough();
      this.docker.modem.demuxStream(stream, merged, merged);
      stream.on('end', () => merged.end());
      stream.on('error', (e) => merged.destroy(e));
      const pumped = pipeline(merged, out);
      const status = (await container.wait()) as { StatusCode: number };
      await pumped;
      return { exitCode: status.StatusCode };
    } catch (err) {
      out.destroy();
      if ((err as { statusCode?: number }).statusCode === 404) return { exitCode: null, message: 'The container disappeared (removed outside Lathe).' };
      throw err;
    }
  }

  async stop(handle: RuntimeHandle, graceSeconds: number): Promise<void> {
    try {
      // Docker sends SIGTERM, waits `t` seconds, then SIGKILL.
      await this.docker.getContainer(handle.containerId!).stop({ t: graceSeconds });
    } catch (err) {
      const code = (err as { statusCode?: number }).statusCode;
      if (code !== 304 && code !== 404) throw err; // 304: already stopped
    }
  }

  async cleanup(handle: RuntimeHandle): Promise<void> {
    if (!handle.containerId) return;
    try {
      await this.docker.getContainer(handle.containerId).remove({ force: true });
    } catch {
      // Already gone.
    }
  }

  /** State of a container for reconciliation; null when it no longer exists. */
  async inspectState(containerId: string): Promise<{ running: boolean; exitCode: number } | null> {
    try {
      const info = await this.docker.getContainer(containerId).inspect();
      return { running: info.State.Running, exitCode: info.State.ExitCode };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return null;
      throw err;
    }
  }
}

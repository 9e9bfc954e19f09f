import type { GpuSnapshot } from '../../shared/api/gpu-types';
import type { ChangeEvent, RunInfo } from '../../shared/api/types';
import { RunEndWatcher, loadLevel, gpuLoad, trayBitmap, trayTitle, trayTooltip } from './tray-status';

/** The part of Electron's Tray the shell drives. */
export interface TrayLike {
  setToolTip(text: string): void;
  setTitle(text: string): void;
  setImage(image: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface GpuTrayDeps {
  /** new Tray(image) — called once. */
  createTray(image: unknown): TrayLike;
  /** nativeImage.createFromBitmap(bitmap, {width, height}). */
  image(bitmap: Buffer, size: number): unknown;
  /** new Notification({title, body}).show(), when notifications are supported. */
  notify(title: string, body: string): void;
  /** GPU telemetry: emits `snapshot` and `state`. */
  gpus: { snapshot(): GpuSnapshot; on(event: 'snapshot' | 'state', l: () => void): unknown; off(event: 'snapshot' | 'state', l: () => void): unknown };
  /** The change bus: run events trigger the end-of-run check. */
  subscribe(listener: (e: ChangeEvent) => void): () => void;
  getRunInfo(runId: string): RunInfo;
  /** Click on the tray icon (show the window). */
  onClick?: () => void;
}

/**
 * The desktop shell's tray: an icon whose bars show the mean GPU load, a tooltip with each
 * GPU's load, memory and the run holding it, and a notification when a run ends. Updates only
 * when what it shows changes. Returns a function that removes it.
 */
export function startGpuTray(deps: GpuTrayDeps): () => void {
  let level = loadLevel(gpuLoad(deps.gpus.snapshot()));
  const images = new Map<number, unknown>();
  const imageFor = (l: number) => {
    if (!images.has(l)) images.set(l, deps.image(trayBitmap(l as 0 | 1 | 2 | 3 | 4), 16));
    return images.get(l);
  };
  const tray = deps.createTray(imageFor(level));
  if (deps.onClick) tray.on('click', deps.onClick);
  let tooltip = '';
  let title = '';
  const refresh = () => {
    const s = deps.gpus.snapshot();
    const nextLevel = loadLevel(gpuLoad(s));
    if (nextLevel !== level) {
      level = nextLevel;
      tray.setImage(imageFor(level));
    }
    const t = trayTooltip(s);
    if (t !== tooltip) tray.setToolTip((tooltip = t));
    const ti = trayTitle(s);
    if (ti !== title) tray.setTitle((title = ti));
  };
  refresh();
  deps.gpus.on('snapshot', refresh);
  deps.gpus.on('state', refresh);
  const watcher = new RunEndWatcher();
  const unsubscribe = deps.subscribe((e) => {
    if (e.kind !== 'run' || !e.runId) return;
    try {
      const note = watcher.update(deps.getRunInfo(e.runId));
      if (note) deps.notify(note.title, note.body);
    } catch {
      // The run was deleted meanwhile.
    }
  });
  return () => {
    deps.gpus.off('snapshot', refresh);
    deps.gpus.off('state', refresh);
    unsubscribe();
    tray.destroy();
  };
}

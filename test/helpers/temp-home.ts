import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../src/main/core/create-core';

/** A fresh data directory under the OS temp folder; removed by the returned cleanup. */
export function tempHome(prefix = 'lathe-test-'): { home: string; cleanup: () => void } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { home, cleanup: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/**
 * A core on a fresh data directory, and a scratch folder for data files outside it (Lathe
 * refuses data inside its own data directory); `cleanup` disposes the core and removes both.
 */
export function tempCore(prefix: string): { core: Core; work: string; cleanup: () => void } {
  const t = tempHome();
  const core = createCore({ home: t.home });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    core,
    work,
    cleanup: () => {
      core.dispose();
      t.cleanup();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Lathe's `resources/` folder (Python client, etc.). Found by walking up from this module,
 * which works from the sources (tests), the build (out/main) and an unpacked app;
 * `LATHE_RESOURCES` overrides (packaged Electron passes process.resourcesPath).
 * @throws Error when no resources/python/lathe folder is found.
 */
export function findResourcesDir(start = path.dirname(fileURLToPath(import.meta.url))): string {
  if (process.env.LATHE_RESOURCES) return path.resolve(process.env.LATHE_RESOURCES);
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'resources');
    if (fs.existsSync(path.join(candidate, 'python'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Lathe's resources folder (resources/python/lathe) was not found above ${start}; set LATHE_RESOURCES`);
    dir = parent;
  }
}

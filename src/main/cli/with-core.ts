import { createCore, type Core } from '../core/create-core';

/**
 * Runs `fn` with a core opened on the data directory `home` (the read-only commands and those
 * that work on the store directly), disposing of it when `fn` has finished, awaited or not.
 */
export async function withCore<T>(home: string, fn: (core: Core) => T | Promise<T>): Promise<T> {
  const core = createCore({ home });
  try {
    return await fn(core);
  } finally {
    core.dispose();
  }
}

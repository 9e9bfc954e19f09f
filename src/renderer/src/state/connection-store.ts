import { create } from 'zustand';

/**
 * - connecting: first attempt, nothing known yet
 * - connected: the change feed is open, so what is on screen is current
 * - reconnecting: the feed dropped; retrying with backoff
 * - offline: several attempts in a row failed; still retrying, at the slowest pace
 * - unauthenticated: the server refused our token (browser mode without `?token=`); retrying cannot help
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'unauthenticated';

interface ConnectionStore {
  state: ConnectionState;
  /** Consecutive failed attempts since the last good connection. */
  failures: number;
  /** When the next attempt is due (ms since epoch), while not connected. */
  retryAt: number | null;
  lastError: string | null;
  /** Version of the core that answers, from system.info. */
  serverVersion: string | null;
  setState(state: ConnectionState, patch?: Partial<Pick<ConnectionStore, 'failures' | 'retryAt' | 'lastError'>>): void;
  setServerVersion(version: string | null): void;
}

export const useConnectionStore = create<ConnectionStore>((set) => ({
  state: 'connecting',
  failures: 0,
  retryAt: null,
  lastError: null,
  serverVersion: null,
  setState: (state, patch) => set({ state, ...patch }),
  setServerVersion: (serverVersion) => set({ serverVersion }),
}));

/** Lathe's version, injected at build time from package.json (see electron.vite.config.ts). */
declare const __LATHE_VERSION__: string | undefined;
export const LATHE_VERSION: string = typeof __LATHE_VERSION__ === 'string' ? __LATHE_VERSION__ : '0.0.0-dev';

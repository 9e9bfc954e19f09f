/** Variable names whose values are secrets: masked wherever a run's env is recorded or shown. */
const SECRET_NAME = /(SECRET|TOKEN|PASS|PWD|KEY|CREDENTIAL|PRIVATE|AUTH|COOKIE|SESSION|CERT)/i;

export const MASK = '****';

/** True when a variable's name marks its value as a secret (e.g. WANDB_API_KEY, HF_TOKEN). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A copy of `env` with secret values replaced by {@link MASK}. */
export function maskEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, isSecretName(k) ? MASK : v]));
}

/** Quotes argv for display as one shell command line (POSIX sh rules). */
export function shellJoin(argv: string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

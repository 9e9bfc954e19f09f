import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/database';

function sha256(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Per-run API tokens: the token handed to a run's training code (as MLFLOW_TRACKING_TOKEN)
 * lets it write to that run only. Only the SHA-256 of a token is stored, so a copy of
 * lathe.db does not hand out write access.
 */
export class RunTokenService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Issues a new token for a run (32 random bytes, base64url, prefixed `lrt_` so it is
   * recognisable in logs and secret scanners).
   * @throws Error when the run does not exist.
   */
  issue(runId: string): string {
    const row = this.db.prepare<[string], { id: number }>('SELECT id FROM runs WHERE run_id = ?').get(runId);
    if (!row) throw new Error(`run ${runId} does not exist`);
    const token = `lrt_${randomBytes(32).toString('base64url')}`;
    this.db.prepare('INSERT INTO run_tokens (token_sha256, run, created_at) VALUES (?, ?, ?)').run(sha256(token), row.id, this.now());
    return token;
  }

  /** The run id a token belongs to, or null for an unknown or revoked token. */
  resolve(token: string): string | null {
    if (!token.startsWith('lrt_')) return null;
    const row = this.db
      .prepare<[string], { run_id: string }>('SELECT r.run_id FROM run_tokens t JOIN runs r ON r.id = t.run WHERE t.token_sha256 = ?')
      .get(sha256(token));
    return row?.run_id ?? null;
  }

  /** Revokes every token of a run (called when the run ends). */
  revoke(runId: string): void {
    this.db.prepare('DELETE FROM run_tokens WHERE run = (SELECT id FROM runs WHERE run_id = ?)').run(runId);
  }
}

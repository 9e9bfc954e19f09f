import type { RunInfo, RunStatus } from '../../../shared/api/types';

/** A `runs` row as SQLite returns it (`SELECT * FROM runs`). */
export interface RunRow {
  id: number;
  run_id: string;
  experiment_id: number;
  name: string;
  status: RunStatus;
  user_id: string;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: 'active' | 'deleted';
  artifact_uri: string;
}

/** The API's RunInfo for a `runs` row (times in ms since the epoch; ids as strings). */
export function toRunInfo(r: RunRow): RunInfo {
  return {
    runId: r.run_id,
    experimentId: String(r.experiment_id),
    name: r.name,
    status: r.status,
    userId: r.user_id,
    startTime: r.start_time,
    endTime: r.end_time,
    lifecycleStage: r.lifecycle_stage,
    artifactUri: r.artifact_uri,
  };
}

import { Link } from 'react-router';
import type { ExecutionInfo, Experiment, RunInfo } from '../../../shared/api/types';
import { useNow } from '../hooks/use-now';
import { formatDateTime, formatDuration, formatGpus, runDuration } from '../lib/format';
import { shellJoin } from '../lib/shell-split';
import { CopyButton } from './copy-button';
import { StatusBadge } from './status-badge';
import { StopRunButton } from './stop-run-button';

interface RunSummaryProps {
  info: RunInfo;
  experiment: Experiment | undefined;
  /** How Lathe ran it; null for runs logged from outside, undefined while loading. */
  execution: ExecutionInfo | null | undefined;
}

const ACTIVE = new Set(['SCHEDULED', 'QUEUED', 'RUNNING']);

export function RunSummary({ info, experiment, execution }: RunSummaryProps) {
  const now = useNow(info.status === 'RUNNING' && info.endTime === null);
  const experimentHref = `/experiments/${encodeURIComponent(info.experimentId)}`;
  const ended = info.status === 'FAILED' || info.status === 'KILLED';
  return (
    <div className="run-summary card" data-testid="run-summary">
      <div className="run-summary-title">
        <h1 className="page-title" data-testid="run-name">
          {info.name || info.runId}
        </h1>
        <StatusBadge status={info.status} />
        {execution && ACTIVE.has(info.status) && <StopRunButton runId={info.runId} />}
      </div>
      {ended && execution?.statusMessage && (
        <div className={`run-status-message status-message-${info.status.toLowerCase()}`} data-testid="run-status-message" role="status">
          {execution.statusMessage}
        </div>
      )}
      <dl className="run-facts">
        <div>
          <dt>Experiment</dt>
          <dd>
            <Link to={experimentHref} data-testid="run-experiment">
              {experiment?.name ?? info.experimentId}
            </Link>
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(info.startTime)}</dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{formatDateTime(info.endTime)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd data-testid="run-duration">{formatDuration(runDuration(info, now))}</dd>
        </div>
        {execution && (
          <>
            <div>
              <dt>Runtime</dt>
              <dd data-testid="run-runtime">{execution.runtime}</dd>
            </div>
            {execution.runtime === 'docker' && (
              <div className="run-image-fact">
                <dt>Image</dt>
                <dd>
                  <code data-testid="run-image" title={execution.imageDigest ?? undefined}>
                    {execution.image ?? '—'}
                  </code>
                </dd>
              </div>
            )}
            <div>
              <dt>GPUs</dt>
              <dd data-testid="run-gpus">{formatGpus(execution.gpus)}</dd>
            </div>
            {execution.exitCode !== null && (
              <div>
                <dt>Exit code</dt>
                <dd data-testid="run-exit-code" className={execution.exitCode === 0 ? undefined : 'error-text'}>
                  {execution.exitCode}
                </dd>
              </div>
            )}
          </>
        )}
        <div className="run-id-fact">
          <dt>Run ID</dt>
          <dd>
            <code data-testid="run-id">{info.runId}</code>
            <CopyButton text={info.runId} />
          </dd>
        </div>
      </dl>
      {execution && (
        <div className="run-command" title="Command">
          <span className="run-command-label">$</span>
          <code data-testid="run-command">{shellJoin(execution.command)}</code>
        </div>
      )}
    </div>
  );
}

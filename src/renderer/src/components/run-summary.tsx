import { Link } from 'react-router';
import type { Experiment, RunInfo } from '../../../shared/api/types';
import { useNow } from '../hooks/use-now';
import { formatDateTime, formatDuration, runDuration } from '../lib/format';
import { CopyButton } from './copy-button';
import { StatusBadge } from './status-badge';

interface RunSummaryProps {
  info: RunInfo;
  experiment: Experiment | undefined;
}

export function RunSummary({ info, experiment }: RunSummaryProps) {
  const now = useNow(info.status === 'RUNNING' && info.endTime === null);
  const experimentHref = `/experiments/${encodeURIComponent(info.experimentId)}`;
  return (
    <div className="run-summary card" data-testid="run-summary">
      <div className="run-summary-title">
        <h1 className="page-title" data-testid="run-name">
          {info.name || info.runId}
        </h1>
        <StatusBadge status={info.status} />
      </div>
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
        <div className="run-id-fact">
          <dt>Run ID</dt>
          <dd>
            <code data-testid="run-id">{info.runId}</code>
            <CopyButton text={info.runId} />
          </dd>
        </div>
      </dl>
    </div>
  );
}

import { Link } from 'react-router';
import type { Experiment } from '../../../shared/api/types';

interface ExperimentListProps {
  experiments: Experiment[] | undefined;
  selectedId: string | null;
}

export function ExperimentList({ experiments, selectedId }: ExperimentListProps) {
  const totalRuns = experiments?.reduce((n, e) => n + e.runCount, 0);
  return (
    <nav className="experiment-list" aria-label="Experiments">
      <div className="section-label">Experiments</div>
      <Link
        to="/"
        className={`experiment-item${selectedId === null ? ' selected' : ''}`}
        data-testid="experiment-item-all"
        aria-current={selectedId === null ? 'page' : undefined}
      >
        <span className="experiment-name">All runs</span>
        {totalRuns !== undefined && <span className="count">{totalRuns}</span>}
      </Link>
      {experiments?.map((e) => (
        <Link
          key={e.experimentId}
          to={`/experiments/${encodeURIComponent(e.experimentId)}`}
          className={`experiment-item${selectedId === e.experimentId ? ' selected' : ''}`}
          data-testid="experiment-item"
          data-experiment-id={e.experimentId}
          aria-current={selectedId === e.experimentId ? 'page' : undefined}
          title={e.name}
        >
          <span className="experiment-name">{e.name}</span>
          <span className="count">{e.runCount}</span>
        </Link>
      ))}
    </nav>
  );
}

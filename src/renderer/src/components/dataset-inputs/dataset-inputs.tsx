import { Link } from 'react-router';
import type { ChangeEvent } from '../../../../shared/api/types';
import { call } from '../../api/client';
import { useLiveQuery } from '../../hooks/use-live-query';
import './dataset-inputs.css';

/** The run page's "Inputs" section: the dataset versions the run read (lineage), with where it saw them. */
export function DatasetInputs({ runId }: { runId: string }) {
  const inputs = useLiveQuery(`run-inputs:${runId}`, () => call((c) => c.datasets.runInputs({ runId })), (e: ChangeEvent) => e.kind === 'run' && e.runId === runId);
  if (!inputs.data || inputs.data.length === 0) return null;
  return (
    <section className="section ds-inputs" data-testid="run-inputs">
      <h2 className="section-title">Inputs</h2>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>dataset</th>
              <th>version</th>
              <th>mode</th>
              <th>seen by the run at</th>
              <th>context</th>
            </tr>
          </thead>
          <tbody>
            {inputs.data.map((i) => (
              <tr key={`${i.name}@${i.digest}`} data-testid="run-input">
                <td>
                  <Link to={`/datasets/${encodeURIComponent(i.name)}`}>{i.name}</Link>
                </td>
                <td>
                  <Link to={`/datasets/${encodeURIComponent(i.name)}/versions/${i.digest.slice(0, 16)}`} title={i.digest}>
                    <code>{i.digest.slice(0, 12)}</code>
                  </Link>
                </td>
                <td title={i.sourcePath}>{i.mode === 'track' ? 'tracked' : 'imported'}</td>
                <td>
                  <code>{i.mountPath}</code> {i.mountPath.startsWith('/data/') && <span className="muted">(read-only)</span>}
                </td>
                <td>{i.context}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

import { Link } from 'react-router';
import type { QueueStatus } from '../../../../shared/api/gpu-types';
import { call } from '../../api/client';

const wants = (r: number | string[] | 'all') => (r === 'all' ? 'all GPUs' : Array.isArray(r) ? `GPU ${r.join(', ')}` : `${r} GPU${r === 1 ? '' : 's'}`);

/** Runs waiting for GPUs, in serving order, with why; buttons to reprioritise or cancel. */
export function QueuePanel({ queue, onChange }: { queue: QueueStatus | undefined; onChange(): void }) {
  if (!queue) return null;
  const act = (fn: () => Promise<unknown>) => void fn().finally(onChange);
  return (
    <section className="gpu-queue" data-testid="queue-panel" aria-label="GPU queue">
      <h2 className="section-label">GPU queue</h2>
      {queue.entries.length === 0 ? (
        <p className="muted gpu-queue-empty">No run is waiting for GPUs. {queue.leases.length ? `${queue.leases.length} GPU${queue.leases.length === 1 ? '' : 's'} leased to runs.` : ''}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Run</th>
                <th>Wants</th>
                <th className="num">Priority</th>
                <th>Why it waits</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {queue.entries.map((e) => (
                <tr key={e.run_id} data-testid="queue-entry" data-run-id={e.run_id}>
                  <td className="num">{e.position}</td>
                  <td>
                    <Link to={`/runs/${e.run_id}`}>{e.run_name}</Link>
                  </td>
                  <td className="nowrap">{wants(e.request)}</td>
                  <td className="num">{e.priority}</td>
                  <td className="gpu-queue-reason">{e.reason}</td>
                  <td className="nowrap">
                    <button type="button" className="button button-small" title="Serve earlier" onClick={() => act(() => call((c) => c.queue.setPriority({ runId: e.run_id, priority: e.priority + 1 })))}>
                      ↑
                    </button>{' '}
                    <button type="button" className="button button-small" title="Serve later" onClick={() => act(() => call((c) => c.queue.setPriority({ runId: e.run_id, priority: e.priority - 1 })))}>
                      ↓
                    </button>{' '}
                    <button type="button" className="button button-small" onClick={() => act(() => call((c) => c.queue.cancel({ runId: e.run_id })))}>
                      Cancel
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {queue.mode === 'passthrough' ? (
        <p className="muted gpu-queue-note">GPUs cannot be read, so Lathe does not queue: GPU requests go to Docker as asked.</p>
      ) : (
        <p className="muted gpu-queue-note">A GPU is assigned when no run holds it and at most {queue.foreign_memory_threshold_mib} MiB is used outside Lathe.</p>
      )}
    </section>
  );
}

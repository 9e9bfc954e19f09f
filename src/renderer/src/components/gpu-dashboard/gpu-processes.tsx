import { Link } from 'react-router';
import type { GpuProcess } from '../../../../shared/api/gpu-types';
import { reading } from './gpu-format';

const VIA: Record<string, string> = { cgroup: 'its container', pid: 'its process group', lease: "the run's GPU lease" };

/** The compute processes on one GPU, each with the Lathe run it belongs to, or "foreign" with user and command. */
export function GpuProcesses({ processes }: { processes: GpuProcess[] }) {
  if (processes.length === 0) return <p className="muted gpu-no-procs">No compute processes.</p>;
  return (
    <table className="table gpu-procs" data-testid="gpu-processes">
      <thead>
        <tr>
          <th className="num">PID</th>
          <th className="num">Memory</th>
          <th>Belongs to</th>
          <th>Command</th>
        </tr>
      </thead>
      <tbody>
        {processes.map((p) => (
          <tr key={`${p.gpu_uuid}:${p.pid}`} data-testid="gpu-process" data-pid={p.pid} data-owner={p.owner}>
            <td className="num">{p.pid}</td>
            <td className="num nowrap" title={p.used_memory_mib === null ? 'The driver does not report per-process memory here' : undefined}>
              {reading(p.used_memory_mib, 'MiB')}
            </td>
            <td>
              {p.run_id ? (
                <Link to={`/runs/${p.run_id}`} title={`Found through ${VIA[p.attributed_by ?? ''] ?? 'Lathe'}`} data-testid="gpu-process-run">
                  {p.run_name ?? p.run_id.slice(0, 8)}
                </Link>
              ) : (
                <span className="gpu-foreign" title="Not started by Lathe">
                  foreign{p.user ? ` · ${p.user}` : ''}
                  {p.container_id ? ` · container ${p.container_id.slice(0, 12)}` : ''}
                </span>
              )}
            </td>
            <td className="gpu-command" title={p.command ?? p.process_name ?? ''}>
              {p.command ?? p.process_name ?? '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

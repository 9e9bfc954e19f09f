import type { HostMetrics } from '../../../../shared/api/gpu-types';
import { bytes, fraction, reading } from './gpu-format';

function Bar({ pct }: { pct: number | null }) {
  return <div className="gpu-bar" aria-hidden="true">{pct !== null && <div className="gpu-bar-fill" style={{ width: `${pct}%` }} />}</div>;
}

/** Host CPU, memory and disks (systeminformation), beside the GPUs. */
export function HostPanel({ host }: { host: HostMetrics | undefined }) {
  if (!host) return <div className="card host-panel muted">Reading the host…</div>;
  const mem = host.memory;
  return (
    <section className="card host-panel" data-testid="host-panel" aria-label="Host">
      <div className="host-row">
        <div className="host-label">
          CPU <span className="muted">{host.cpu.model} · {host.cpu.cores} cores</span>
        </div>
        <div className="host-value" data-testid="host-cpu">{reading(host.cpu.load_pct, '%')}</div>
        <Bar pct={host.cpu.load_pct} />
      </div>
      <div className="host-row">
        <div className="host-label">Memory</div>
        <div className="host-value" data-testid="host-memory">
          {bytes(mem.used_bytes)} / {bytes(mem.total_bytes)}
        </div>
        <Bar pct={fraction(mem.used_bytes, mem.total_bytes)} />
      </div>
      {host.disks.slice(0, 4).map((d) => (
        <div className="host-row" key={d.mount}>
          <div className="host-label">
            Disk <span className="muted">{d.mount}</span>
          </div>
          <div className="host-value" data-testid="host-disk">
            {bytes(d.used_bytes)} / {bytes(d.size_bytes)}
          </div>
          <Bar pct={fraction(d.used_bytes, d.size_bytes)} />
        </div>
      ))}
      {host.network.slice(0, 2).map((n) => (
        <div className="host-row host-net" key={n.iface}>
          <div className="host-label">
            Network <span className="muted">{n.iface}</span>
          </div>
          <div className="host-value">
            ↓ {n.rx_bytes_per_s === null ? '—' : `${bytes(n.rx_bytes_per_s)}/s`} ↑ {n.tx_bytes_per_s === null ? '—' : `${bytes(n.tx_bytes_per_s)}/s`}
          </div>
        </div>
      ))}
      <p className="muted host-os">{host.os}</p>
    </section>
  );
}

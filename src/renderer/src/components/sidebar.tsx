import { NavLink, useLocation } from 'react-router';
import { useUiStore } from '../state/ui-store';

export function Sidebar() {
  const lastExperimentId = useUiStore((s) => s.lastExperimentId);
  const { pathname } = useLocation();
  // Run detail and compare pages belong to this section too, so the item stays highlighted there.
  const runsActive = pathname === '/' || pathname.startsWith('/experiments/') || pathname.startsWith('/runs/') || pathname === '/compare';
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="sidebar-items">
        <NavLink
          to={lastExperimentId ? `/experiments/${encodeURIComponent(lastExperimentId)}` : '/'}
          className={() => `nav-item${runsActive ? ' active' : ''}`}
          data-testid="nav-runs"
        >
          <svg className="nav-icon" viewBox="0 0 16 16" aria-hidden="true">
            <path d="M2 13.5h12M3.5 11V7.5M7 11V3.5M10.5 11V6M14 11V9" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
          </svg>
          Experiments
        </NavLink>
        <NavLink to="/gpus" className={({ isActive }) => `nav-item${isActive ? ' active' : ''}`} data-testid="nav-gpus">
          <svg className="nav-icon" viewBox="0 0 16 16" aria-hidden="true">
            <path d="M3 4.5h10v7H3zM5.5 4.5V2.5M8 4.5V2.5M10.5 4.5V2.5M5.5 13.5v-2M8 13.5v-2M10.5 13.5v-2M6 7h4v2H6z" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
          </svg>
          GPUs
        </NavLink>
        <NavLink to="/datasets" className={({ isActive }) => `nav-item${isActive ? ' active' : ''}`} data-testid="nav-datasets">
          <svg className="nav-icon" viewBox="0 0 16 16" aria-hidden="true">
            <path d="M2.5 4c0-1.1 2.5-2 5.5-2s5.5.9 5.5 2v8c0 1.1-2.5 2-5.5 2s-5.5-.9-5.5-2zM2.5 4c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2" fill="none" stroke="currentColor" strokeWidth="1.3" />
          </svg>
          Datasets
        </NavLink>
      </div>
    </nav>
  );
}

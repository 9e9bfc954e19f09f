import { NavLink, useLocation } from 'react-router';
import { useUiStore } from '../state/ui-store';

export function Sidebar() {
  const lastExperimentId = useUiStore((s) => s.lastExperimentId);
  const { pathname } = useLocation();
  // Run detail pages belong to this section too, so the item stays highlighted there.
  const runsActive = pathname === '/' || pathname.startsWith('/experiments/') || pathname.startsWith('/runs/');
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
      </div>
    </nav>
  );
}

import type { ValidationReport } from '../../../../shared/api/dataset-types';
import './validation.css';

/** A validation report: pass/fail, then each rule with its counts and failing example rows. */
export function ValidationReportView({ report }: { report: ValidationReport }) {
  return (
    <div className="ds-report" data-testid="validation-report" data-passed={report.passed}>
      <div className={`ds-report-verdict ${report.passed ? 'ok' : 'fail'}`}>{report.passed ? 'All rules pass' : `${report.results.filter((r) => !r.passed).length} of ${report.results.length} rules fail`}</div>
      <ul className="ds-report-rules">
        {report.results.map((r, i) => (
          <li key={i} className={r.passed ? 'ok' : 'fail'}>
            <div className="ds-report-rule">
              <span className="ds-report-mark">{r.passed ? '✓' : '✗'}</span>
              <span>{r.message}</span>
            </div>
            {r.examples.length > 0 && (
              <table className="table ds-report-examples">
                <thead>
                  <tr>
                    <th className="num">row</th>
                    <th className="num">line</th>
                    <th>value</th>
                  </tr>
                </thead>
                <tbody>
                  {r.examples.map((e) => (
                    <tr key={e.row}>
                      <td className="num">{e.row.toLocaleString('en-US')}</td>
                      <td className="num">{e.line?.toLocaleString('en-US') ?? '—'}</td>
                      <td>{e.value === null ? <span className="muted">missing</span> : <code>{e.value}</code>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Browser mode without a valid token: nothing works until the page is opened with one. */
export function AuthPanel() {
  return (
    <div className="panel panel-auth" role="alert" data-testid="auth-panel">
      <div className="panel-title">Access token required</div>
      <p className="panel-message">
        Open the URL printed by <code>lathe serve</code> (it contains the access token).
      </p>
      <p className="panel-detail">
        It looks like <code>http://127.0.0.1:7860/?token=…</code>. The token is also stored in the file <code>token</code> in
        Lathe&apos;s data directory.
      </p>
    </div>
  );
}

"""The Lathe tracking client: params, metrics, tags and artifacts for one run, over Lathe's
MLflow-compatible REST API (stdlib only)."""

import atexit
import math
import mimetypes
import os
import re
import sys
import threading
import time
import urllib.parse

from ._transport import LatheError, Transport

__all__ = ["Client", "NoopClient"]

API = "/api/2.0/mlflow"
ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts"

#: Lathe's (and MLflow's) limits for one log-batch request.
MAX_METRICS_PER_BATCH = 1000
MAX_PARAMS_PER_BATCH = 100
MAX_TAGS_PER_BATCH = 100

_KEY = re.compile(r"^[\w\-./ :]+$")


def _check_key(kind, key):
    key = str(key)
    if not key or len(key) > 250 or not _KEY.match(key) or key.startswith("/") or ".." in key.split("/"):
        raise LatheError(
            "Invalid %s name %r: up to 250 letters, digits, '_', '-', '.', '/', ' ' or ':'; no '..' or leading '/'" % (kind, key),
            "INVALID_PARAMETER_VALUE",
        )
    return key


def _metric_value(value):
    """A metric value as JSON: a number, or "NaN" / "Infinity" / "-Infinity"."""
    v = float(value)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def _now_ms():
    return int(time.time() * 1000)


class Client(object):
    """Logs to one run of a Lathe server.

    Metrics are buffered and sent in batches (``runs/log-batch``, at most 1000 points a
    request) every ``flush_interval`` seconds, whenever ``flush_points`` points are waiting,
    and at exit. Params and tags are sent at once. Artifacts are uploaded at once.

    Args:
        tracking_uri: the server, e.g. ``http://127.0.0.1:7860`` (MLFLOW_TRACKING_URI).
        run_id: the run to log to (MLFLOW_RUN_ID). Without one, a run is created on first use
            in ``experiment_id`` (MLFLOW_EXPERIMENT_ID, else the experiment named
            MLFLOW_EXPERIMENT_NAME, else "0") and ended at exit (FAILED after an uncaught
            exception, else FINISHED).
        token: API token (MLFLOW_TRACKING_TOKEN), sent as ``Authorization: Bearer``.
    """

    def __init__(self, tracking_uri, run_id=None, token=None, experiment_id=None, experiment_name=None,
                 run_name=None, username=None, password=None, flush_points=1000, flush_interval=1.0,
                 timeout=60.0, max_retries=6, backoff=0.5):
        self._http = Transport(tracking_uri, token=token, username=username, password=password,
                               timeout=timeout, max_retries=max_retries, backoff=backoff)
        self._run_id = run_id
        self._experiment_id = experiment_id
        self._experiment_name = experiment_name
        self._run_name = run_name
        self._owns_run = False
        self._failed = False
        self._artifact_base = None
        self._flush_points = max(1, int(flush_points))
        self._flush_interval = float(flush_interval)
        self._buffer = []
        self._lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._error = None
        self._warned_retry = False
        self._thread = threading.Thread(target=self._flush_loop, name="lathe-flush", daemon=True)
        self._thread.start()
        atexit.register(self.close)
        _exit_on_sigterm()

    # ------------------------------------------------------------------ run

    @property
    def run_id(self):
        """The run this client logs to (created on first use when none was given)."""
        if self._run_id is None:
            with self._run_lock:
                if self._run_id is None:
                    self._start_run()
        return self._run_id

    def _start_run(self):
        exp = self._experiment_id
        if exp is None and self._experiment_name:
            try:
                got = self._http.json("GET", API + "/experiments/get-by-name", query={"experiment_name": self._experiment_name})
                exp = got["experiment"]["experiment_id"]
            except LatheError as err:
                if err.error_code != "RESOURCE_DOES_NOT_EXIST":
                    raise
                exp = self._http.json("POST", API + "/experiments/create", {"name": self._experiment_name})["experiment_id"]
        body = {"experiment_id": exp or "0", "start_time": _now_ms()}
        if self._run_name:
            body["run_name"] = self._run_name
        run = self._http.json("POST", API + "/runs/create", body)["run"]
        self._run_id = run["info"]["run_id"]
        self._owns_run = True
        previous = sys.excepthook

        def hook(kind, value, tb):
            self._failed = True
            previous(kind, value, tb)

        sys.excepthook = hook

    def end_run(self, status="FINISHED"):
        """Flushes, then marks the run ended with ``status`` (FINISHED, FAILED or KILLED)."""
        self.flush()
        self._http.json("POST", API + "/runs/update", {"run_id": self.run_id, "status": status, "end_time": _now_ms()})
        self._owns_run = False

    # ------------------------------------------------------------------ params and tags

    def log_param(self, key, value):
        """Logs one param (sent at once; the value is converted with ``str``). Logging a key
        again with another value raises LatheError INVALID_PARAMETER_VALUE."""
        self.log_params({key: value})

    def log_params(self, params):
        """Logs a dict of params, at most 100 a request."""
        items = [{"key": _check_key("param", k), "value": str(v)} for k, v in params.items()]
        for i in range(0, len(items), MAX_PARAMS_PER_BATCH):
            self._batch(params=items[i:i + MAX_PARAMS_PER_BATCH])

    def set_tag(self, key, value):
        """Sets one run tag (sent at once; overwrites)."""
        self.set_tags({key: value})

    def set_tags(self, tags):
        """Sets a dict of run tags, at most 100 a request."""
        items = [{"key": _check_key("tag", k), "value": str(v)} for k, v in tags.items()]
        for i in range(0, len(items), MAX_TAGS_PER_BATCH):
            self._batch(tags=items[i:i + MAX_TAGS_PER_BATCH])

    def _batch(self, metrics=None, params=None, tags=None):
        self._raise_pending()
        body = {"run_id": self.run_id}
        if metrics:
            body["metrics"] = metrics
        if params:
            body["params"] = params
        if tags:
            body["tags"] = tags
        self._http.json("POST", API + "/runs/log-batch", body)

    # ------------------------------------------------------------------ metrics

    def log_metric(self, key, value, step=None, timestamp=None):
        """Buffers one metric point. ``value``: any number (NaN and ±inf included);
        ``step``: int, default 0; ``timestamp``: ms since the epoch, default now."""
        self._raise_pending()
        point = {
            "key": _check_key("metric", key),
            "value": _metric_value(value),
            "timestamp": int(timestamp) if timestamp is not None else _now_ms(),
            "step": int(step) if step is not None else 0,
        }
        with self._lock:
            self._buffer.append(point)
            waiting = len(self._buffer)
        if waiting >= 10 * self._flush_points:
            self.flush()  # the sender is behind: slow the caller down instead of growing without bound
        elif waiting >= self._flush_points:
            self._wake.set()

    def log_metrics(self, metrics, step=None, timestamp=None):
        """Buffers a dict of metrics at one step and time."""
        ts = int(timestamp) if timestamp is not None else _now_ms()
        for k, v in metrics.items():
            self.log_metric(k, v, step=step, timestamp=ts)

    def flush(self):
        """Sends every buffered metric now. Raises LatheError when they could not be stored."""
        self._send_buffered(raise_errors=True)
        self._raise_pending()

    def _send_buffered(self, raise_errors):
        with self._send_lock:
            while True:
                with self._lock:
                    chunk = self._buffer[:MAX_METRICS_PER_BATCH]
                    del self._buffer[:MAX_METRICS_PER_BATCH]
                if not chunk:
                    return
                try:
                    self._http.json("POST", API + "/runs/log-batch", {"run_id": self.run_id, "metrics": chunk})
                    self._warned_retry = False
                except LatheError as err:
                    if err.status is not None and 400 <= err.status < 500:
                        # Refused (bad key or value, permission): these points cannot be stored.
                        self._error = err
                    else:
                        # Server unreachable: keep the points for the next attempt.
                        with self._lock:
                            self._buffer[:0] = chunk
                        if not self._warned_retry:
                            sys.stderr.write("lathe: could not send %d metric points yet (%s); will retry\n" % (len(chunk), err))
                            self._warned_retry = True
                    if raise_errors:
                        self._raise_pending(err)
                    return

    def _raise_pending(self, fallback=None):
        err, self._error = self._error, None
        if err is not None:
            raise err
        if fallback is not None:
            raise fallback

    def _flush_loop(self):
        while not self._closed:
            self._wake.wait(self._flush_interval)
            self._wake.clear()
            if self._closed:
                return
            try:
                self._send_buffered(raise_errors=False)
            except Exception as err:  # never let the background thread die
                sys.stderr.write("lathe: background flush failed: %s\n" % err)

    # ------------------------------------------------------------------ artifacts

    def _artifacts_url(self):
        if self._artifact_base is None:
            info = self._http.json("GET", API + "/runs/get", query={"run_id": self.run_id})["run"]["info"]
            uri = info["artifact_uri"]
            if uri.startswith("mlflow-artifacts:"):
                rest = re.sub(r"^mlflow-artifacts:(//[^/]*)?/*", "", uri)
                self._artifact_base = self._http.url(ARTIFACTS + "/" + urllib.parse.quote(rest))
            elif uri.startswith(("http://", "https://")):
                self._artifact_base = uri.rstrip("/")
            else:
                raise LatheError("The run's artifact URI %r is not served over HTTP" % uri)
        return self._artifact_base

    def log_artifact(self, local_path, artifact_path=None):
        """Uploads a file (or a folder, as ``<artifact_path>/<folder name>/…``) to the run's
        artifacts, under ``artifact_path`` when given."""
        if os.path.isdir(local_path):
            name = os.path.basename(os.path.normpath(local_path))
            self.log_artifacts(local_path, "/".join(p for p in (artifact_path, name) if p))
            return
        dest = "/".join(p for p in (artifact_path, os.path.basename(local_path)) if p)
        self._upload(local_path, dest)

    def log_artifacts(self, local_dir, artifact_path=None):
        """Uploads the contents of a folder, keeping its layout, under ``artifact_path``."""
        for root, _dirs, files in os.walk(local_dir):
            rel = os.path.relpath(root, local_dir)
            for f in sorted(files):
                parts = [artifact_path] if artifact_path else []
                if rel != ".":
                    parts.extend(rel.split(os.sep))
                parts.append(f)
                self._upload(os.path.join(root, f), "/".join(parts))

    def _upload(self, local_file, dest):
        self._raise_pending()
        url = self._artifacts_url() + "/" + urllib.parse.quote(dest.strip("/"))
        size = os.path.getsize(local_file)
        ctype = mimetypes.guess_type(local_file)[0] or "application/octet-stream"
        self._http.send("PUT", url, lambda: open(local_file, "rb"), {"Content-Type": ctype}, content_length=size)

    # ------------------------------------------------------------------ lifecycle

    def close(self):
        """Flushes and stops the background sender; ends a run this client created. Called at exit."""
        if self._closed:
            return
        try:
            self._send_buffered(raise_errors=False)
            with self._lock:
                lost = len(self._buffer)
            if lost:
                sys.stderr.write("lathe: %d metric points could not be sent\n" % lost)
            if self._error is not None:
                sys.stderr.write("lathe: some metric points were refused: %s\n" % self._error)
                self._error = None
            if self._owns_run:
                self.end_run("FAILED" if self._failed else "FINISHED")
        except Exception as err:
            sys.stderr.write("lathe: could not finish logging: %s\n" % err)
        finally:
            self._closed = True
            self._wake.set()


def _exit_on_sigterm():
    """Turns SIGTERM (how Lathe and Docker stop a run) into a normal exit, so atexit flushes the
    buffered metric points before the process ends. Leaves a handler the script set alone, and
    does nothing outside the main thread (signal handlers can only be set there)."""
    try:
        import signal

        if threading.current_thread() is not threading.main_thread():
            return
        if signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None):
            return

        def _raise_exit(signum, frame):
            raise SystemExit(128 + signum)

        signal.signal(signal.SIGTERM, _raise_exit)
    except (ImportError, ValueError, OSError):
        pass


class NoopClient(object):
    """Stands in when no tracking server is configured: every call does nothing."""

    run_id = None

    def __getattr__(self, name):
        return lambda *args, **kwargs: None

"""Lathe's tracking client for training scripts: standard library only, Python 3.8+.

    import lathe
    lathe.log_params({"lr": 0.01, "batch_size": 64})
    for step in range(100):
        lathe.log_metric("loss", loss, step=step)
    lathe.set_tag("phase", "train")
    lathe.log_artifact("model.pt")

It reads the same environment as the ``mlflow`` client, which Lathe sets for the runs it
launches: MLFLOW_TRACKING_URI (the server), MLFLOW_RUN_ID (the run), MLFLOW_TRACKING_TOKEN
(``Authorization: Bearer``; or MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD for Basic).
Without MLFLOW_TRACKING_URI it prints one warning and does nothing, so the same script runs
outside Lathe. See README.md beside this file.
"""

import os
import sys
import threading

from ._transport import LatheError
from .client import Client, NoopClient

__all__ = [
    "Client",
    "LatheError",
    "end_run",
    "flush",
    "get_client",
    "log_artifact",
    "log_artifacts",
    "log_metric",
    "log_metrics",
    "log_param",
    "log_params",
    "run_id",
    "set_tag",
    "set_tags",
]

__version__ = "0.1.0"

_default = None
_default_lock = threading.Lock()


def _env_float(name, default):
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def get_client():
    """The client every module-level function uses, built from the environment on first use:
    a :class:`Client`, or a do-nothing stand-in when MLFLOW_TRACKING_URI is unset or not
    an http(s) URI."""
    global _default
    with _default_lock:
        if _default is None:
            uri = os.environ.get("MLFLOW_TRACKING_URI", "").strip()
            if not uri.startswith(("http://", "https://")):
                why = "is not set" if not uri else "is not an http(s) URI (%r)" % uri
                sys.stderr.write("lathe: MLFLOW_TRACKING_URI %s; nothing will be recorded\n" % why)
                _default = NoopClient()
            else:
                _default = Client(
                    uri,
                    run_id=os.environ.get("MLFLOW_RUN_ID") or None,
                    token=os.environ.get("MLFLOW_TRACKING_TOKEN") or None,
                    username=os.environ.get("MLFLOW_TRACKING_USERNAME") or None,
                    password=os.environ.get("MLFLOW_TRACKING_PASSWORD") or None,
                    experiment_id=os.environ.get("MLFLOW_EXPERIMENT_ID") or None,
                    experiment_name=os.environ.get("MLFLOW_EXPERIMENT_NAME") or None,
                    run_name=os.environ.get("MLFLOW_RUN_NAME") or None,
                    flush_interval=_env_float("LATHE_FLUSH_INTERVAL", 1.0),
                )
        return _default


def run_id():
    """The id of the run being logged to (None when not tracking)."""
    return get_client().run_id


def log_param(key, value):
    """Logs a param now (value converted with ``str``)."""
    get_client().log_param(key, value)


def log_params(params):
    """Logs a dict of params now."""
    get_client().log_params(params)


def log_metric(key, value, step=None, timestamp=None):
    """Buffers a metric point (NaN and ±inf allowed); sent in batches about once a second."""
    get_client().log_metric(key, value, step=step, timestamp=timestamp)


def log_metrics(metrics, step=None, timestamp=None):
    """Buffers a dict of metrics at one step."""
    get_client().log_metrics(metrics, step=step, timestamp=timestamp)


def set_tag(key, value):
    """Sets a run tag now."""
    get_client().set_tag(key, value)


def set_tags(tags):
    """Sets a dict of run tags now."""
    get_client().set_tags(tags)


def log_artifact(local_path, artifact_path=None):
    """Uploads a file or folder to the run's artifacts (under ``artifact_path`` if given)."""
    get_client().log_artifact(local_path, artifact_path)


def log_artifacts(local_dir, artifact_path=None):
    """Uploads a folder's contents to the run's artifacts."""
    get_client().log_artifacts(local_dir, artifact_path)


def flush():
    """Sends buffered metrics now; raises :class:`LatheError` if they could not be stored."""
    get_client().flush()


def end_run(status="FINISHED"):
    """Flushes and marks the run ended (FINISHED, FAILED or KILLED)."""
    get_client().end_run(status)

"""HTTP transport for the Lathe client: urllib only, JSON in and out, retries with backoff."""

import base64
import json
import random
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["LatheError", "Transport"]

#: Statuses worth retrying: timeouts, back-pressure and server-side trouble (as the mlflow client does).
RETRY_STATUSES = frozenset([408, 429, 500, 502, 503, 504])

USER_AGENT = "lathe-python-client/0.1"


class LatheError(Exception):
    """A request Lathe refused (4xx), or one that kept failing after its retries.

    Attributes:
        error_code: MLflow's error code from the server, e.g. ``INVALID_PARAMETER_VALUE``,
            ``RESOURCE_DOES_NOT_EXIST``, ``PERMISSION_DENIED``; ``None`` for network failures.
        status: the HTTP status, or ``None`` when no answer came.
    """

    def __init__(self, message, error_code=None, status=None):
        super().__init__("%s: %s" % (error_code, message) if error_code else message)
        self.message = message
        self.error_code = error_code
        self.status = status


class Transport:
    """Sends requests to ``base_uri`` (e.g. ``http://127.0.0.1:7860``).

    Authentication: ``Authorization: Bearer <token>`` when a token is given, else HTTP Basic
    with ``username``/``password`` when a password is given.
    Retries 408/429/5xx answers and connection errors up to ``max_retries`` times, sleeping
    ``backoff * 2**attempt`` seconds (plus jitter, at most 30 s), or what ``Retry-After`` says.
    """

    def __init__(self, base_uri, token=None, username=None, password=None, timeout=60.0, max_retries=6, backoff=0.5):
        self.base_uri = base_uri.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.headers = {"User-Agent": USER_AGENT}
        if token:
            self.headers["Authorization"] = "Bearer " + token
        elif password:
            pair = ("%s:%s" % (username or "lathe", password)).encode("utf-8")
            self.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")

    def url(self, path, query=None):
        """The absolute URL of ``path`` (already percent-encoded) with an optional query dict."""
        url = path if path.startswith(("http://", "https://")) else self.base_uri + path
        if query:
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        return url

    def json(self, method, path, body=None, query=None):
        """Sends a JSON request; returns the decoded JSON answer (``{}`` for an empty one).

        Raises:
            LatheError: on a 4xx answer (with the server's ``error_code`` and message), or when
                retries are exhausted.
        """
        data = None
        headers = {}
        if body is not None:
            data = json.dumps(body, allow_nan=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        raw = self.send(method, self.url(path, query), lambda: data, headers)
        if not raw.strip():
            return {}
        return json.loads(raw.decode("utf-8"))

    def send(self, method, url, body_factory, headers=None, content_length=None):
        """Sends one request with retries. ``body_factory()`` gives a fresh body per attempt
        (bytes, a binary file object, or ``None``). Returns the answer's bytes."""
        attempt = 0
        while True:
            body = body_factory()
            req = urllib.request.Request(url, data=body, method=method)
            for k, v in self.headers.items():
                req.add_header(k, v)
            for k, v in (headers or {}).items():
                req.add_header(k, v)
            if content_length is not None:
                req.add_header("Content-Length", str(content_length))
            retry_after = None
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as res:
                    return res.read()
            except urllib.error.HTTPError as err:
                payload = err.read()
                if err.code not in RETRY_STATUSES or attempt >= self.max_retries:
                    raise _error_from(err.code, payload, method, url)
                retry_after = _retry_after(err.headers.get("Retry-After"))
                failure = "HTTP %d" % err.code
            except (urllib.error.URLError, ConnectionError, socket.timeout, OSError) as err:
                if attempt >= self.max_retries:
                    raise LatheError("%s %s failed after %d attempts: %s" % (method, url, attempt + 1, err))
                failure = str(getattr(err, "reason", err))
            finally:
                close = getattr(body, "close", None)
                if callable(close):
                    close()
            delay = retry_after if retry_after is not None else min(30.0, self.backoff * (2 ** attempt)) + random.uniform(0, 0.25)
            if attempt == 0:
                sys.stderr.write("lathe: %s %s: %s; retrying\n" % (method, url, failure))
            time.sleep(delay)
            attempt += 1


def _retry_after(value):
    try:
        return min(60.0, max(0.0, float(value)))
    except (TypeError, ValueError):
        return None


def _error_from(status, payload, method, url):
    try:
        body = json.loads(payload.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and body.get("error_code"):
        return LatheError(str(body.get("message", "")), body["error_code"], status)
    text = payload[:200].decode("utf-8", "replace") if payload else ""
    return LatheError("%s %s answered HTTP %d %s" % (method, url, status, text), None, status)

"""Speaks to Lathe exactly as the real mlflow 3.5.1 client does (same routes, headers and
pretty-printed JSON as recorded in test/fixtures/mlflow/real-client-3.5.1-traffic.jsonl), with
urllib only, and reads the answers the way the client does (status 200 + JSON object; error_code
on failures; "NaN"/"Infinity" strings accepted for doubles). Prints "ok" or fails.

env: MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN
"""
import json
import math
import os
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["MLFLOW_TRACKING_URI"].rstrip("/")
TOKEN = os.environ["MLFLOW_TRACKING_TOKEN"]
UA = "mlflow-python-client/3.5.1.dev0"


def call(method, route, body=None, query=None, raw=None, content_type=None):
    url = BASE + route + ("?" + urllib.parse.urlencode(query, doseq=True) if query else "")
    data = json.dumps(body, indent=2).encode() if body is not None else raw
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("User-Agent", UA)
    req.add_header("Authorization", "Bearer " + TOKEN)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    elif content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            status, text = res.status, res.read()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read()
    return status, text


def api(method, route, body=None, query=None):
    status, text = call(method, "/api/2.0/mlflow/" + route, body, query)
    parsed = json.loads(text) if text.strip() else {}
    assert isinstance(parsed, dict), (route, text)
    return status, parsed


def double(v):
    # What the client's protobuf parser accepts for a double field.
    return float(v) if isinstance(v, str) else v


name = "mimic-%d" % int(time.time() * 1000)
# mlflow.set_experiment(name)
status, got = api("GET", "experiments/get-by-name", query={"experiment_name": name})
assert status == 404 and got["error_code"] == "RESOURCE_DOES_NOT_EXIST", got
status, got = api("POST", "experiments/create", {"name": name})
assert status == 200, got
exp = got["experiment_id"]
status, got = api("GET", "experiments/get", query={"experiment_id": exp})
assert got["experiment"]["name"] == name and isinstance(got["experiment"]["creation_time"], int)

# mlflow.start_run(run_name="mimic")
now = int(time.time() * 1000)
tags = [
    {"key": "mlflow.user", "value": "root"},
    {"key": "mlflow.source.name", "value": "mimic.py"},
    {"key": "mlflow.source.type", "value": "LOCAL"},
    {"key": "mlflow.runName", "value": "mimic"},
]
status, got = api("POST", "runs/create", {"experiment_id": exp, "user_id": "root", "run_name": "mimic", "start_time": now, "tags": tags})
info = got["run"]["info"]
run = info["run_id"]
assert info["run_uuid"] == run and info["status"] == "RUNNING" and "end_time" not in info
assert info["artifact_uri"] == "mlflow-artifacts:/%s/%s/artifacts" % (exp, run)

ids = {"run_uuid": run, "run_id": run}
assert api("POST", "runs/log-parameter", dict(ids, key="lr", value="0.01")) == (200, {})
for value in [1.0, "NaN", "Infinity", "-Infinity"]:
    assert api("POST", "runs/log-metric", dict(ids, key="m", value=value, timestamp=now, step=0))[0] == 200
status, got = api("POST", "runs/log-batch", {"run_id": run, "metrics": [{"key": "acc", "value": 0.9, "timestamp": now, "step": 2, "run_id": run}]})
assert (status, got) == (200, {})
assert api("POST", "runs/set-tag", dict(ids, key="owner", value="mimic")) == (200, {})
status, got = api("POST", "runs/log-parameter", dict(ids, key="lr", value="0.5"))
assert status == 400 and got["error_code"] == "INVALID_PARAMETER_VALUE", got

status, got = api("GET", "metrics/get-history", query={"run_uuid": run, "metric_key": "m", "run_id": run, "max_results": "25000"})
values = [double(m["value"]) for m in got["metrics"]]
assert len(values) == 4 and sum(1 for v in values if math.isnan(v)) == 1 and math.inf in values and -math.inf in values, values

# mlflow.log_artifact("a.txt") → runs/get for artifact_uri, then one PUT; list; download
status, got = api("GET", "runs/get", query=ids)
rest = got["run"]["info"]["artifact_uri"][len("mlflow-artifacts:/"):]
status, _ = call("PUT", "/api/2.0/mlflow-artifacts/artifacts/%s/a.txt" % rest, raw=b"hello artifact\n", content_type="text/plain")
assert status == 200
status, text = call("GET", "/api/2.0/mlflow-artifacts/artifacts", query={"path": rest})
assert json.loads(text) == {"files": [{"path": "a.txt", "is_dir": False, "file_size": 15}]}, text
status, text = call("GET", "/api/2.0/mlflow-artifacts/artifacts/%s/a.txt" % rest)
assert (status, text) == (200, b"hello artifact\n")
status, text = call("GET", "/api/2.0/mlflow-artifacts/artifacts/%s/missing.txt" % rest)
assert status == 404 and json.loads(text)["error_code"] == "RESOURCE_DOES_NOT_EXIST"

# mlflow.end_run()
status, got = api("GET", "runs/get", query=ids)
data = got["run"]["data"]
assert {"key": "lr", "value": "0.01"} in data["params"] and {"key": "owner", "value": "mimic"} in data["tags"]
status, got = api("POST", "runs/update", dict(ids, status="FINISHED", end_time=int(time.time() * 1000)))
assert got["run_info"]["status"] == "FINISHED" and isinstance(got["run_info"]["end_time"], int)
print("ok")

"""A training-script stand-in using the lathe client; run by python-client.test.ts.

argv[1]: a scratch folder for the artifacts it writes and uploads.
"""
import json
import os
import sys

import lathe

scratch = sys.argv[1]

lathe.log_param("lr", 0.01)
lathe.log_params({"layers": [64, 32], "optimizer": "adam"})
lathe.set_tag("phase", "train")
lathe.set_tags({"owner": "tests", "gpu": 0})

# More points than one batch holds, to exercise chunking and the background flush.
for step in range(2500):
    lathe.log_metric("loss", 1.0 / (step + 1), step=step)
lathe.log_metric("weird", float("nan"), step=0)
lathe.log_metric("weird", float("inf"), step=1)
lathe.log_metric("weird", float("-inf"), step=2)
lathe.log_metric("weird", float("nan"), step=0, timestamp=1700000000000)
lathe.log_metric("weird", float("nan"), step=0, timestamp=1700000000000)  # identical: stored once
lathe.log_metrics({"val_loss": 0.5, "val_acc": 0.9}, step=3)

with open(os.path.join(scratch, "model.bin"), "wb") as f:
    f.write(bytes(range(256)) * 1000)
os.makedirs(os.path.join(scratch, "plots", "deep"))
with open(os.path.join(scratch, "plots", "a.txt"), "w") as f:
    f.write("plot a")
with open(os.path.join(scratch, "plots", "deep", "b b.json"), "w") as f:
    f.write('{"b": 1}')
lathe.log_artifact(os.path.join(scratch, "model.bin"))
lathe.log_artifact(os.path.join(scratch, "plots"), artifact_path="figures")

# A refused write surfaces as LatheError with the server's code.
try:
    lathe.log_param("lr", 0.5)
    changed = None
except lathe.LatheError as err:
    changed = [err.error_code, err.status]

print(json.dumps({"run_id": lathe.run_id(), "changed_param": changed}))
# No explicit flush: buffered metrics must go out at exit.

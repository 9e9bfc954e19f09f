"""Train a linear classifier on scikit-learn's bundled breast-cancer data, tracked by Lathe.

Runs offline (the data ships with scikit-learn). Logs params, per-epoch train/validation loss
and accuracy, final test metrics, and the pickled model as an artifact.

The script uses the `mlflow` client when the image has it, and otherwise Lathe's stdlib-only
client (`lathe`, mounted into every run by Lathe): both read MLFLOW_TRACKING_URI and
MLFLOW_RUN_ID, which Lathe sets, and offer the same log_* functions.

Params come from `lathe run -p key=value` (LATHE_PARAMS) or the command line:
    python3 train.py --epochs 30 --alpha 0.0001 --seed 42
"""
import argparse
import json
import os
import pickle

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, f1_score, log_loss, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

try:
    import mlflow as tracking
except ImportError:
    import lathe as tracking


def parse_args():
    defaults = json.loads(os.environ.get("LATHE_PARAMS") or "{}")
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=int(defaults.get("epochs", 30)))
    p.add_argument("--alpha", type=float, default=float(defaults.get("alpha", 1e-4)))
    p.add_argument("--eta0", type=float, default=float(defaults.get("eta0", 0.01)))
    p.add_argument("--seed", type=int, default=int(defaults.get("seed", 42)))
    p.add_argument("--fail-at-epoch", type=int, default=int(defaults.get("fail_at_epoch", -1)),
                   help="raise at this epoch (to try failure handling)")
    return p.parse_args()


def main():
    args = parse_args()
    x, y = load_breast_cancer(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=args.seed, stratify=y)
    x_train, x_val, y_train, y_val = train_test_split(x_train, y_train, test_size=0.2, random_state=args.seed, stratify=y_train)
    scaler = StandardScaler().fit(x_train)
    x_train, x_val, x_test = scaler.transform(x_train), scaler.transform(x_val), scaler.transform(x_test)

    tracking.log_params({
        "model": "SGDClassifier(log_loss)",
        "epochs": args.epochs,
        "alpha": args.alpha,
        "eta0": args.eta0,
        "seed": args.seed,
        "n_train": len(y_train),
        "n_val": len(y_val),
        "n_test": len(y_test),
    })
    tracking.set_tag("dataset", "sklearn.datasets.load_breast_cancer")

    clf = SGDClassifier(loss="log_loss", alpha=args.alpha, learning_rate="constant", eta0=args.eta0, random_state=args.seed)
    classes = np.unique(y)
    rng = np.random.RandomState(args.seed)
    for epoch in range(1, args.epochs + 1):
        if epoch == args.fail_at_epoch:
            raise RuntimeError(f"failing on purpose at epoch {epoch}")
        order = rng.permutation(len(y_train))
        clf.partial_fit(x_train[order], y_train[order], classes=classes)
        train_p = clf.predict_proba(x_train)[:, 1]
        val_p = clf.predict_proba(x_val)[:, 1]
        metrics = {
            "train_loss": log_loss(y_train, train_p),
            "val_loss": log_loss(y_val, val_p),
            "train_accuracy": accuracy_score(y_train, train_p >= 0.5),
            "val_accuracy": accuracy_score(y_val, val_p >= 0.5),
        }
        tracking.log_metrics(metrics, step=epoch)
        print(f"epoch {epoch:3d}  train_loss {metrics['train_loss']:.4f}  val_loss {metrics['val_loss']:.4f}  val_accuracy {metrics['val_accuracy']:.4f}", flush=True)

    test_p = clf.predict_proba(x_test)[:, 1]
    pred = test_p >= 0.5
    final = {
        "accuracy": accuracy_score(y_test, pred),
        "precision": precision_score(y_test, pred),
        "recall": recall_score(y_test, pred),
        "f1": f1_score(y_test, pred),
        "roc_auc": roc_auc_score(y_test, test_p),
    }
    tracking.log_metrics(final)
    with open("model.pkl", "wb") as f:
        pickle.dump({"scaler": scaler, "model": clf}, f)
    tracking.log_artifact("model.pkl")
    print("final " + " ".join(f"{k} {v:.6f}" for k, v in final.items()), flush=True)


if __name__ == "__main__":
    main()

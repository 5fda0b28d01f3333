#!/usr/bin/python3
"""The scikit-learn side of the batch-prediction benchmark (bench/predictCliBench.ts).

  sklearn_predict_cli_bench.py fit <rows.json> <model.pkl>
      rows.json: {"nEstimators", "maxFeatures", "minSamplesSplit", "X", "y", "labels", "features"}; fits a
      RandomForestClassifier on the rows the shipped Lantern forest was trained on and pickles it.
  sklearn_predict_cli_bench.py predict <model.pkl> <in.jsonl> <out.jsonl>
      what `lantern predict --model symptom-differential` does, the scikit-learn way: load the forest from
      disk, read {"id", "features"} lines (1 = present; absent and unknown are both 0 to this forest),
      predict_proba in one batch, write {"id", "probabilities"} lines. This process is what is timed.
Prints one JSON object; {"skipped": ...} without scikit-learn.
"""
import json
import pickle
import sys


def fit(rows_path, model_path):
    from sklearn.ensemble import RandomForestClassifier
    import numpy as np

    spec = json.load(open(rows_path))
    clf = RandomForestClassifier(
        n_estimators=spec["nEstimators"],
        max_features=float(spec["maxFeatures"]),
        min_samples_split=int(spec["minSamplesSplit"]),
        bootstrap=True,
        random_state=42,
        n_jobs=1,
    )
    clf.fit(np.asarray(spec["X"], dtype=np.float64), np.asarray(spec["y"], dtype=np.int64))
    with open(model_path, "wb") as f:
        pickle.dump({"forest": clf, "labels": spec["labels"], "features": spec["features"]}, f)
    print(json.dumps({"fitted": True}))


def predict(model_path, in_path, out_path):
    import numpy as np

    with open(model_path, "rb") as f:
        m = pickle.load(f)
    index = {name: i for i, name in enumerate(m["features"])}
    labels = m["labels"]
    ids = []
    rows = []
    with open(in_path) as f:
        for line in f:
            if not line.strip():
                continue
            o = json.loads(line)
            x = np.zeros(len(index))
            for k, v in o["features"].items():
                if v == 1:
                    x[index[k]] = 1.0
            ids.append(o["id"])
            rows.append(x)
    P = m["forest"].predict_proba(np.asarray(rows))
    classes = [labels[c] for c in m["forest"].classes_]
    with open(out_path, "w") as f:
        for i, p in zip(ids, P.tolist()):
            f.write(json.dumps({"id": i, "probabilities": dict(zip(classes, p))}) + "\n")
    print(json.dumps({"predicted": len(ids)}))


def main():
    try:
        import sklearn  # noqa: F401
    except ImportError as e:
        print(json.dumps({"skipped": "needs scikit-learn (%s)" % e}))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "fit":
        fit(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "predict":
        predict(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        print(json.dumps({"skipped": "usage: fit <rows.json> <model.pkl> | predict <model.pkl> <in.jsonl> <out.jsonl>"}))


if __name__ == "__main__":
    main()

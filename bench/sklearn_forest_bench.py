#!/usr/bin/python3
"""scikit-learn RandomForestClassifier latency, for comparison with Lantern's forest runtime.

Spawned by bench/forestBench.ts as `/usr/bin/python3 bench/sklearn_forest_bench.py <jobs.json>`.
jobs.json (written by the TS bench, in a temporary folder): {"single": N, "jobs": [{"id", "nEstimators",
"maxDepth" (null = unlimited), "maxFeatures" (share), "minSamplesSplit", "X", "y", "Xtest"}]} -- X/y are
the rows the shipped Lantern forest was trained on (unknown inputs filled in exactly as Lantern does),
Xtest the benchmark cases encoded the same way. Prints one JSON object on stdout.

Needs Debian's python3-sklearn (`apt-get install -y --no-install-recommends python3-sklearn`).
"""
import json
import platform
import sys
import time


def stats(samples):
    s = sorted(samples)
    at = lambda q: s[min(len(s) - 1, int(q * len(s)))]
    r = lambda x: round(x, 4)
    return {"n": len(s), "medianMs": r(at(0.5)), "p95Ms": r(at(0.95)), "maxMs": r(s[-1])}


def main():
    if len(sys.argv) != 2:
        print(json.dumps({"skipped": "usage: sklearn_forest_bench.py <jobs.json> (run through bench/forestBench.ts)"}))
        return
    try:
        import numpy as np
        import sklearn
        from sklearn.ensemble import RandomForestClassifier
    except ImportError as e:
        print(json.dumps({"skipped": "needs python3-sklearn (%s)" % e}))
        return
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    n_single = int(spec.get("single", 2000))
    models = {}
    for job in spec["jobs"]:
        X = np.asarray(job["X"], dtype=np.float64)
        y = np.asarray(job["y"], dtype=np.int64)
        Xt = np.asarray(job["Xtest"], dtype=np.float64)
        clf = RandomForestClassifier(
            n_estimators=job["nEstimators"],
            max_depth=job["maxDepth"],
            max_features=float(job["maxFeatures"]),
            min_samples_split=int(job["minSamplesSplit"]),
            bootstrap=True,
            random_state=42,
            n_jobs=1,
        )
        t0 = time.perf_counter()
        clf.fit(X, y)
        fit_s = time.perf_counter() - t0
        for i in range(min(100, n_single)):  # warm up
            clf.predict_proba(Xt[i : i + 1])
        single = []
        for i in range(n_single):
            row = Xt[i % len(Xt) : i % len(Xt) + 1]
            t0 = time.perf_counter()
            clf.predict_proba(row)
            single.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        clf.predict_proba(Xt)
        total = (time.perf_counter() - t0) * 1000
        depth = max(e.get_depth() for e in clf.estimators_)
        nodes = sum(e.tree_.node_count for e in clf.estimators_)
        models[job["id"]] = {
            "trainingRows": int(X.shape[0]),
            "inputs": int(X.shape[1]),
            "fitSeconds": round(fit_s, 3),
            "trees": len(clf.estimators_),
            "maxTreeDepth": int(depth),
            "nodes": int(nodes),
            "perCase": stats(single),
            "batch10k": {"cases": int(Xt.shape[0]), "totalMs": round(total, 2), "perCaseMs": round(total / Xt.shape[0], 4)},
        }
    print(
        json.dumps(
            {
                "what": "RandomForestClassifier.predict_proba, n_jobs=1 (per case: one row per call)",
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
                "python": platform.python_version(),
                "models": models,
            }
        )
    )


if __name__ == "__main__":
    main()

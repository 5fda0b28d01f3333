"""scikit-learn baselines on the symptom differential's validation presentations (issue 13 diagnosis).

Run through models/training/compareSymptomBaselines.ts, which writes the input JSON. Prints top-1 / top-3
per presentation set for RandomForestClassifier (100 trees, seed 0; feature sampling per split, unlike
ml-random-forest's per tree), trained on the training patterns as they are and on the augmented rows
the shipped forest's held-out run trains on.
"""
import json
import sys

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def matrix(rows, n_features):
    x = np.zeros((len(rows), n_features))
    for i, r in enumerate(rows):
        x[i, r["present"]] = 1
    return x, np.array([r["label"] for r in rows])


def top_k(p, y, k):
    # Ties by label order, as metrics.ts ranks.
    order = np.argsort(-p, axis=1, kind="stable")[:, :k]
    return float(np.mean([y[i] in order[i] for i in range(len(y))]))


def main():
    d = json.load(open(sys.argv[1]))
    nf, nl = d["features"], len(d["labels"])
    sets = [(s["name"], *matrix(s["cases"], nf)) for s in d["sets"]]
    print("| model | " + " | ".join(n for n, _, _ in sets) + " |")
    print("|---|" + "---|" * len(sets))
    for train_name in ("train", "augmented"):
        x, y = matrix(d[train_name], nf)
        for mf in ("sqrt", 1.0):
            rf = RandomForestClassifier(n_estimators=100, max_features=mf, random_state=0, n_jobs=1).fit(x, y)
            cells = []
            for _, xs, ys in sets:
                p = np.zeros((len(xs), nl))
                p[:, rf.classes_] = rf.predict_proba(xs)
                cells.append(f"{top_k(p, ys, 1):.3f} / {top_k(p, ys, 3):.3f}")
            print(f"| sklearn RF, {train_name} rows, max_features={mf} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

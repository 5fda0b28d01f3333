#!/usr/bin/python3
"""Trains Lantern's `symptom-text` classifier: free-text complaint -> disease (24 labels), TF-IDF + multinomial
logistic regression (PyTorch, L-BFGS), exported as JSON weights run in TypeScript (models/runtime/nlp/symptomText.ts).

    /usr/bin/python3 -B models/training/nlp/train_symptom_text.py [--seed 20240611]

Data: ../shared/data/nlp/symptom2disease/train.csv (960 rows; licence none stated -> evaluation builds only).
Exact duplicate texts (case-insensitive, same label) are removed first, then a stratified, seeded 80/20
train/validation split. Feature set and L2 strength are chosen on validation macro-F1; the shipped model is
refitted on train + validation with the chosen settings (the reported metrics come from the train-only fit).

Features (identical in TS; checked by models/artefacts/symptom-text/fixture.json):
  tokens = the project tokeniser's word tokens (letter/digit runs), ASCII-lowercased; punctuation dropped
  word n-grams (1..maxWordN) joined by a space; optional char n-grams (charMin..charMax) of " token " per token
  tf = 1 + ln(count) (sublinear); idf = ln((1 + n) / (1 + df)) + 1; row L2-normalised; vocabulary: df >= minDf
  p = softmax(W x + b)
"""
from __future__ import annotations

import argparse
import csv
import math
import os
import random
import sys
import time

sys.dont_write_bytecode = True
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from nlp_common import TOKENISER_ID, WORD_CHARS, ascii_lower, data_dir, prf, project_root, rel_to_models, sha256_file, tokenise, update_nlp_manifest, write_json  # noqa: E402
import re  # noqa: E402

MODEL_ID = "symptom-text"
VERSION = "1.0.0"
WORD_RE = re.compile("^[" + WORD_CHARS + "]+$")


def words(text: str) -> list[str]:
    return [ascii_lower(t) for t, _, _ in tokenise(text) if WORD_RE.match(t)]


def features_of(text: str, cfg: dict) -> list[str]:
    ws = words(text)
    feats = []
    for n in range(1, cfg["maxWordN"] + 1):
        for i in range(len(ws) - n + 1):
            feats.append("w:" + " ".join(ws[i : i + n]))
    if cfg["charMax"] > 0:
        for w in ws:
            cps = list(" " + w + " ")
            for n in range(cfg["charMin"], cfg["charMax"] + 1):
                for i in range(len(cps) - n + 1):
                    feats.append("c:" + "".join(cps[i : i + n]))
    return feats


class Vectoriser:
    def __init__(self, cfg: dict, docs: list[str]):
        self.cfg = cfg
        df: dict[str, int] = {}
        for d in docs:
            for f in set(features_of(d, cfg)):
                df[f] = df.get(f, 0) + 1
        self.vocab = sorted(f for f, c in df.items() if c >= cfg["minDf"])
        self.index = {f: i for i, f in enumerate(self.vocab)}
        n = len(docs)
        self.idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in self.vocab], dtype=np.float64)

    def transform(self, docs: list[str]) -> np.ndarray:
        X = np.zeros((len(docs), len(self.vocab)), dtype=np.float64)
        for r, d in enumerate(docs):
            counts: dict[int, int] = {}
            for f in features_of(d, self.cfg):
                j = self.index.get(f)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            for j, c in counts.items():
                X[r, j] = (1.0 + math.log(c)) * self.idf[j]
            norm = math.sqrt(float((X[r] ** 2).sum()))
            if norm > 0:
                X[r] /= norm
        return X


def fit_logreg(X: np.ndarray, y: np.ndarray, n_classes: int, l2: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    torch.manual_seed(seed)
    Xt = torch.tensor(X, dtype=torch.float64)
    yt = torch.tensor(y, dtype=torch.long)
    W = torch.zeros(n_classes, X.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros(n_classes, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([W, b], lr=1.0, max_iter=500, tolerance_grad=1e-7, tolerance_change=1e-10, history_size=20, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(Xt @ W.T + b, yt, reduction="sum") / len(y) + 0.5 * l2 * (W * W).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return W.detach().numpy(), b.detach().numpy()


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def scores(y_true, y_pred, labels) -> dict:
    acc = float(np.mean(np.array(y_true) == np.array(y_pred)))
    per = {}
    f1s = []
    for k, lab in enumerate(labels):
        tp = int(sum(1 for a, b in zip(y_true, y_pred) if a == k and b == k))
        fp = int(sum(1 for a, b in zip(y_true, y_pred) if a != k and b == k))
        fn = int(sum(1 for a, b in zip(y_true, y_pred) if a == k and b != k))
        m = prf(tp, fp, fn)
        per[lab] = {k2: m[k2] for k2 in ("precision", "recall", "f1")} | {"support": tp + fn}
        f1s.append(m["f1"])
    return {"accuracy": round(acc, 4), "macroF1": round(float(np.mean(f1s)), 4), "perLabel": per}


CONFIGS = [
    {"name": "word1", "maxWordN": 1, "charMin": 0, "charMax": 0, "minDf": 1},
    {"name": "word12", "maxWordN": 2, "charMin": 0, "charMax": 0, "minDf": 1},
    {"name": "word12-char35", "maxWordN": 2, "charMin": 3, "charMax": 5, "minDf": 2},
]
L2S = [1e-4, 3e-4, 1e-3, 3e-3]


def round_sig(a: np.ndarray) -> np.ndarray:
    return np.array([float(f"{x:.7g}") for x in a.ravel()], dtype=np.float64).reshape(a.shape)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--val-fraction", type=float, default=0.2)
    args = ap.parse_args()
    t0 = time.time()
    torch.set_num_threads(2)
    rng = random.Random(args.seed)

    path = os.path.join(data_dir(), "nlp", "symptom2disease", "train.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    n_rows = len(rows)
    seen = set()
    data = []
    for r in rows:
        key = (r["text"].strip().lower(), r["label"])
        if key in seen:
            continue
        seen.add(key)
        data.append((r["text"], r["label"]))
    labels = sorted({lab for _, lab in data})
    lab_idx = {l: i for i, l in enumerate(labels)}

    by_label: dict[str, list[int]] = {}
    for i, (_, lab) in enumerate(data):
        by_label.setdefault(lab, []).append(i)
    train_idx, val_idx = [], []
    for lab in labels:
        idx = by_label[lab][:]
        rng.shuffle(idx)
        k = max(1, round(len(idx) * args.val_fraction))
        val_idx += idx[:k]
        train_idx += idx[k:]
    train_idx.sort()
    val_idx.sort()
    tr_docs = [data[i][0] for i in train_idx]
    va_docs = [data[i][0] for i in val_idx]
    ytr = np.array([lab_idx[data[i][1]] for i in train_idx])
    yva = np.array([lab_idx[data[i][1]] for i in val_idx])
    print(f"{n_rows} rows, {len(data)} after removing exact duplicates; train {len(train_idx)}, validation {len(val_idx)}", flush=True)

    grid = []
    best = None
    for cfg in CONFIGS:
        vec = Vectoriser(cfg, tr_docs)
        Xtr, Xva = vec.transform(tr_docs), vec.transform(va_docs)
        for l2 in L2S:
            W, b = fit_logreg(Xtr, ytr, len(labels), l2, args.seed)
            pred = (Xva @ W.T + b).argmax(axis=1)
            s = scores(yva.tolist(), pred.tolist(), labels)
            row = {"features": cfg["name"], "l2": l2, "vocabulary": len(vec.vocab), "accuracy": s["accuracy"], "macroF1": s["macroF1"]}
            grid.append(row)
            print(row, flush=True)
            if best is None or (s["macroF1"], s["accuracy"]) > (best[2]["macroF1"], best[2]["accuracy"]):
                best = (cfg, l2, s, vec, W, b)
    assert best is not None
    cfg, l2, val_scores, vec_tr, W_tr, b_tr = best
    # confusion summary on validation for the card
    va_prob = softmax(vec_tr.transform(va_docs) @ W_tr.T + b_tr)
    pred = va_prob.argmax(axis=1)
    calibration = top1_calibration(va_prob, yva)
    # subgroups by note length: short complaints are what a clinician's one-line note looks like
    lengths = np.array([len(words(t)) for t in va_docs])
    cut = int(np.median(lengths))
    subgroups = []
    for name, mask in ((f"at most {cut} words", lengths <= cut), (f"more than {cut} words", lengths > cut)):
        if mask.any():
            subgroups.append({"subgroup": name, "texts": int(mask.sum()), "accuracy": round(float((pred[mask] == yva[mask]).mean()), 4),
                              "meanTop1Probability": round(float(va_prob[mask].max(axis=1).mean()), 4)})
    confusions: dict[str, int] = {}
    for a, p in zip(yva.tolist(), pred.tolist()):
        if a != p:
            k = f"{labels[a]} -> {labels[p]}"
            confusions[k] = confusions.get(k, 0) + 1

    # final fit on train + validation
    all_docs = tr_docs + va_docs
    yall = np.concatenate([ytr, yva])
    vec = Vectoriser(cfg, all_docs)
    W, b = fit_logreg(vec.transform(all_docs), yall, len(labels), l2, args.seed)
    W, b = round_sig(W), round_sig(b)
    idf = round_sig(vec.idf)
    vec.idf = idf

    out = os.path.join(project_root(), "models", "artefacts", "symptom-text")
    os.makedirs(out, exist_ok=True)
    model_path = os.path.join(out, "model.json")
    sha = write_json(
        model_path,
        {
            "format": "lantern-tfidf-logreg/1",
            "id": MODEL_ID,
            "version": VERSION,
            "tokeniser": TOKENISER_ID,
            "features": {"maxWordN": cfg["maxWordN"], "charMin": cfg["charMin"], "charMax": cfg["charMax"], "sublinearTf": True, "norm": "l2"},
            "labels": labels,
            "vocabulary": vec.vocab,
            "idf": idf.tolist(),
            "weights": W.tolist(),
            "bias": b.tolist(),
        },
        compact=True,
    )

    # parity fixture: validation texts + edge cases, probabilities from the rounded shipped weights
    fx_texts = [va_docs[i] for i in sorted(random.Random(3).sample(range(len(va_docs)), 12))]
    fx_texts += [
        "I've had a high fever, chills and a terrible headache for three days; my joints ache.",
        "Burning when I pee, and I need to go ALL the time. Naïve café test — 日本.",
        "",
        "!!!",
    ]
    fixture = []
    for t in fx_texts:
        x = vec.transform([t])
        p = softmax(x @ W.T + b)[0]
        feats = features_of(t, cfg)
        fixture.append(
            {
                "text": t,
                "words": words(t),
                "featureCount": len(feats),
                "featureIndices": sorted({vec.index[f] for f in feats if f in vec.index}),
                "probabilities": [float(v) for v in p],
            }
        )
    write_json(os.path.join(out, "fixture.json"), {"modelId": MODEL_ID, "tokeniser": TOKENISER_ID, "texts": fixture}, compact=True)

    metrics = {
        "modelId": MODEL_ID,
        "version": VERSION,
        "artefactSha256": sha,
        "data": {
            "file": "nlp/symptom2disease/train.csv",
            "sha256": sha256_file(path),
            "source": "Symptom2Disease, via github.com/t4ai/nlp-medical-diagnosis-classifier",
            "licence": "none stated (evaluation builds only)",
            "rows": n_rows,
            "afterExactDuplicateRemoval": len(data),
            "labels": len(labels),
        },
        "split": {"method": "stratified by label, seeded shuffle", "seed": args.seed, "validationFraction": args.val_fraction, "train": len(train_idx), "validation": len(val_idx)},
        "selection": {"criterion": "validation macro-F1 (then accuracy)", "grid": grid, "chosen": {"features": cfg["name"], "l2": l2}},
        "validation": {"accuracy": val_scores["accuracy"], "macroF1": val_scores["macroF1"], "perLabel": val_scores["perLabel"], "confusions": dict(sorted(confusions.items(), key=lambda kv: -kv[1])), "calibration": calibration, "subgroups": subgroups},
        "shipped": {"trainedOn": "train + validation", "vocabulary": len(vec.vocab), "weightsRounding": "7 significant digits"},
        "seconds": round(time.time() - t0),
    }
    write_json(os.path.join(out, "metrics.json"), metrics)
    card_path = os.path.join(out, "model-card.md")
    with open(card_path, "w", encoding="utf-8", newline="\n") as f:
        f.write(card(metrics, sha, cfg, l2))
    update_nlp_manifest(
        {
            "id": MODEL_ID,
            "version": VERSION,
            "kind": "tfidf-logreg-json",
            "artefact": rel_to_models(model_path),
            "sha256": sha,
            "card": rel_to_models(card_path),
            "files": [],
            "labels": labels,
        }
    )
    print(f"chosen {cfg['name']} l2={l2}: validation accuracy {val_scores['accuracy']}, macro-F1 {val_scores['macroF1']}; wrote {out}", flush=True)


def top1_calibration(prob: np.ndarray, y: np.ndarray, bins: int = 10) -> dict:
    """Reliability of the top-1 probability: per bin, its mean against how often the top label was right."""
    top = prob.max(axis=1)
    right = prob.argmax(axis=1) == y
    rows, ece = [], 0.0
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        mask = (top >= lo) & ((top < hi) if k < bins - 1 else (top <= hi))
        if not mask.any():
            continue
        mean_p, acc = float(top[mask].mean()), float(right[mask].mean())
        ece += mask.sum() / len(top) * abs(mean_p - acc)
        rows.append({"bin": [lo, hi], "n": int(mask.sum()), "meanTop1": round(mean_p, 4), "accuracy": round(acc, 4)})
    return {"ece10": round(float(ece), 4), "reliability": rows}


def card(m: dict, sha: str, cfg: dict, l2: float) -> str:
    v = m["validation"]
    grid = "\n".join(f"| {g['features']} | {g['l2']:g} | {g['vocabulary']} | {g['accuracy']:.4f} | {g['macroF1']:.4f} |" for g in m["selection"]["grid"])
    per = "\n".join(f"| {lab} | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} | {s['support']} |" for lab, s in v["perLabel"].items())
    conf = ", ".join(f"{k} ({n})" for k, n in list(v["confusions"].items())[:8]) or "none"
    rel = "\n".join(f"| {r['bin'][0]:.1f}–{r['bin'][1]:.1f} | {r['n']} | {r['meanTop1']:.3f} | {r['accuracy']:.3f} |" for r in v["calibration"]["reliability"])
    rows = v["calibration"]["reliability"]
    under = sum(r["n"] * (r["accuracy"] - r["meanTop1"]) for r in rows) / max(1, sum(r["n"] for r in rows))
    confidence = (
        f"the model is **under-confident** (its top label is right {under:.2f} more often, on average, than its probability says)"
        if under > 0.02
        else f"the model is **over-confident** by {-under:.2f} on average" if under < -0.02 else "close to calibrated"
    )
    sub = "\n".join(f"| {g['subgroup']} | {g['texts']} | {g['accuracy']:.4f} | {g['meanTop1Probability']:.3f} |" for g in v["subgroups"])
    return f"""# Model card: `symptom-text` {m['version']}

Generated by `models/training/nlp/train_symptom_text.py`; do not edit by hand.
Artefact `symptom-text/model.json` sha256 `{sha}`.

## What it does

Ranks 24 diseases for a free-text complaint written by a patient ("I've had a rash with pus-filled pimples...").
TF-IDF over word n-grams (1..{cfg['maxWordN']}){' and character ' + str(cfg['charMin']) + '..' + str(cfg['charMax']) + '-grams' if cfg['charMax'] else ''}
(project tokeniser, ASCII lower-case, sublinear tf, smooth idf, L2 rows) and a multinomial logistic regression
(PyTorch, L-BFGS, L2 {l2:g}), stored as JSON weights and run in TypeScript (`models/runtime/nlp/symptomText.ts`).
Output: every label with its softmax probability, highest first.

**Decision support only.** A ranking of 24 textbook conditions is not a diagnosis, and the list is far from
exhaustive: a complaint outside these 24 diseases still gets 24 probabilities that sum to 1.

## Data and licence

{m['data']['source']}; `{m['data']['file']}` (sha256 `{m['data']['sha256']}`), {m['data']['rows']} rows,
{m['data']['afterExactDuplicateRemoval']} after removing exact duplicate texts, 24 labels × ~40 texts.
Licence: **none stated** — the weights are for **evaluation builds only**; a deployment must settle the data licence.
The texts are short, synthetic-sounding first-person paraphrases: many are near-duplicates of each other, so
validation scores are optimistic for real patient wording.

## Split and selection

Stratified by label, seeded shuffle (seed {m['split']['seed']}): {m['split']['train']} train / {m['split']['validation']} validation.
Feature set and L2 strength chosen on validation macro-F1:

| features | L2 | vocabulary | accuracy | macro-F1 |
|---|---|---|---|---|
{grid}

Shipped model: refitted on train + validation with the chosen settings (vocabulary {m['shipped']['vocabulary']}).
The held-out test part is kept outside the project's data folder.

## Validation metrics (train-only fit)

Accuracy **{v['accuracy']:.4f}**, macro-F1 **{v['macroF1']:.4f}** ({m['split']['validation']} texts). Most frequent confusions: {conf}.

| label | precision | recall | F1 | support |
|---|---|---|---|---|
{per}

### Subgroups (validation, by length of the text)

The texts carry no age, sex or setting, so length is the one subgroup that can be measured:

| subgroup | texts | accuracy | mean top-1 probability |
|---|---|---|---|
{sub}

### Calibration (validation, top-1 probability, train-only fit)

ECE (10 bins) **{v['calibration']['ece10']:.4f}**: {confidence}. The same texts chose the features and L2, and these
are the dataset's own paraphrases, not clinicians' notes: read the table as the model's behaviour on its own kind
of text only.

| top-1 probability | texts | mean top-1 | top-1 right |
|---|---|---|---|
{rel}

## External results

None. No second corpus of free-text complaints labelled with these 24 diseases is in the offline data; the
held-out test part is kept back for acceptance.

## Scope and abstention (how the app uses it)

- Input: the free-text note of a case, English. Population: whoever the note describes; the training texts are
  adult self-descriptions of 24 conditions (Symptom2Disease).
- The app stores its top 3 labels with the case as a suggestion (`electron/app/notes/complaintSuggestion.ts`).
  A note with fewer than 3 words the model knows (e.g. a Chinese note) gets no number: `OUT_OF_SCOPE`,
  with the reason "this note has N words it knows (it needs 3)", pointing the clinician to the note and its extracted findings (test: `complaintSuggestion.test.ts`).
- Its probabilities are calibrated only on the dataset's own paraphrases (above), not on clinicians' notes; so the
  stored ranking is shown as a ranking, never as the case's differential.

## Limits

- English only; spelling variants unseen in training lose their word features (character n-grams help only partly).
- No negation handling inside the classifier ("no fever" still adds "fever" evidence); use the symptom extraction
  (`extractFindings`) for asserted findings.
- Labels are the dataset's own strings (mixed case: "allergy", "Common Cold"...), not aligned with the
  symptom-differential labels.
"""


if __name__ == "__main__":
    main()

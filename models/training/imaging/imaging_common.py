"""Shared helpers for the imaging training scripts (train_pneumonia.py, train_retina_unet.py).

Run with Debian's /usr/bin/python3 (PyTorch 1.13, onnx, numpy, PIL from python3-torch,
python3-onnx, python3-pil). No other dependencies.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import platform
import random
from pathlib import Path
from typing import Any, Dict, Iterable

# Passive OpenMP waiting: on a 2-core machine shared with other jobs, spinning threads slow
# everything down by an order of magnitude. Must be set before torch loads OpenMP, so the trainers
# import this module before torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = Path(__file__).resolve().parent
# models/training/imaging -> models/training -> models -> project root
PROJECT_ROOT = HERE.parent.parent.parent
# Each model's folder (model.onnx, metrics.json, model-card.md) is models/artefacts/<id>.
ARTEFACTS_DIR = PROJECT_ROOT / "models" / "artefacts"
# The one manifest of every model kind (models/runtime/modelFiles.ts); imaging entries have kind "onnx".
IMAGING_MANIFEST = ARTEFACTS_DIR / "manifest.json"
# The parity fixtures the runtime's tests read (models/runtime/imaging/*.test.ts).
FIXTURES_DIR = PROJECT_ROOT / "models" / "runtime" / "imaging" / "fixtures"


def data_dir() -> Path:
    """$LANTERN_DATA_DIR, else ../shared/data relative to the project root (as models/runtime/common/paths.ts)."""
    env = os.environ.get("LANTERN_DATA_DIR", "")
    if env:
        return Path(env).resolve()
    return (PROJECT_ROOT / ".." / "shared" / "data").resolve()


def seed_everything(seed: int, threads: int = 2) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def environment() -> Dict[str, str]:
    import onnx

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "onnx": onnx.__version__,
        "numpy": np.__version__,
        "threads": str(torch.get_num_threads()),
        "machine": platform.machine(),
    }


def write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, sort_keys=False)
        f.write("\n")


def update_imaging_manifest(entry: Dict[str, Any]) -> None:
    """Updates (or adds) the entry with entry['id'] in models/artefacts/manifest.json, keeping every other entry
    (forests, NLP) as it is; written as the TypeScript trainers write it (2-space indent, keys in order).
    Keys this trainer does not write (the scope, the OOD statistics and training-data licence that
    electron/app/imaging/imagingOodFitScript.ts and the registry's reviewers add) are kept, not dropped."""
    models = []
    if IMAGING_MANIFEST.exists():
        with open(IMAGING_MANIFEST, encoding="utf-8") as f:
            models = json.load(f).get("models", [])
    previous = next((m for m in models if m.get("id") == entry["id"]), {})
    models = [m for m in models if m.get("id") != entry["id"]] + [{**previous, **entry}]
    models.sort(key=lambda m: m["id"])
    with open(IMAGING_MANIFEST, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps({"models": models}, indent=2, ensure_ascii=False) + "\n")


def write_onnx_manifest_entry(model_id: str, version: str, sha: str, inputs: Dict[str, Any], labels: list) -> None:
    """The model's manifest entry: its ONNX graph and card in models/artefacts/<id>/, its inputs and labels."""
    update_imaging_manifest({
        "id": model_id,
        "version": version,
        "kind": "onnx",
        "artefact": f"{model_id}/model.onnx",
        "sha256": sha,
        "card": f"{model_id}/model-card.md",
        "inputs": inputs,
        "labels": labels,
    })


def f32_b64(a: np.ndarray) -> str:
    """Little-endian float32 bytes, base64: exact and compact for JSON fixtures."""
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def u8_b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.uint8).tobytes()).decode("ascii")


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve via the rank-sum (Mann-Whitney) statistic; ties get average ranks."""
    scores = np.asarray(scores, dtype=np.float64).ravel()
    labels = np.asarray(labels).ravel().astype(bool)
    n_pos = int(labels.sum())
    n_neg = labels.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(s.size, dtype=np.float64)
    # average ranks over runs of equal scores
    boundaries = np.flatnonzero(np.diff(s)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [s.size]))
    avg = (starts + ends + 1) / 2.0  # 1-based average rank of each run
    ranks_sorted = np.repeat(avg, ends - starts)
    ranks[order] = ranks_sorted
    rank_sum_pos = ranks[labels].sum()
    return float((rank_sum_pos - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def calibration(probs: np.ndarray, labels: np.ndarray, bins: int = 10) -> Dict[str, Any]:
    """Expected calibration error (equal-width bins on P(positive)), Brier score and a reliability table."""
    probs = np.asarray(probs, dtype=np.float64).ravel()
    labels = np.asarray(labels, dtype=np.float64).ravel()
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(probs, edges[1:-1], right=False), 0, bins - 1)
    table = []
    ece = 0.0
    for b in range(bins):
        m = idx == b
        n = int(m.sum())
        if n == 0:
            continue
        mean_p = float(probs[m].mean())
        frac = float(labels[m].mean())
        ece += n / probs.size * abs(mean_p - frac)
        table.append({"bin": [round(edges[b], 2), round(edges[b + 1], 2)], "n": n,
                      "meanPredicted": round(mean_p, 4), "fractionPositive": round(frac, 4)})
    brier = float(np.mean((probs - labels) ** 2))
    return {"ece10": round(ece, 4), "brier": round(brier, 4), "reliability": table}


def binary_report(probs: np.ndarray, labels: np.ndarray, threshold: float = 0.5) -> Dict[str, float]:
    probs = np.asarray(probs, dtype=np.float64).ravel()
    labels = np.asarray(labels).ravel().astype(bool)
    pred = probs >= threshold
    tp = int((pred & labels).sum())
    tn = int((~pred & ~labels).sum())
    fp = int((pred & ~labels).sum())
    fn = int((~pred & labels).sum())
    return {
        "threshold": threshold,
        "accuracy": (tp + tn) / labels.size,
        "sensitivity": tp / max(tp + fn, 1),
        "specificity": tn / max(tn + fp, 1),
        "ppv": tp / max(tp + fp, 1),
        "npv": tn / max(tn + fn, 1),
        "tp": tp, "tn": tn, "fp": fp, "fn": fn,
    }


def rounded(d: Dict[str, Any], nd: int = 4) -> Dict[str, Any]:
    return {k: (round(v, nd) if isinstance(v, float) else v) for k, v in d.items()}


def onnx_check(path: Path) -> None:
    import onnx

    model = onnx.load(str(path))
    onnx.checker.check_model(model)


def max_abs_diff(a: Iterable[np.ndarray], b: Iterable[np.ndarray]) -> float:
    return float(max(np.max(np.abs(np.asarray(x, np.float64) - np.asarray(y, np.float64))) for x, y in zip(a, b)))


def run_onnxruntime_node(model: Path, input_name: str, inputs: "list[np.ndarray]",
                         output_names: "list[str]", threads: int = 2) -> "tuple[list[list[np.ndarray]], list[float]]":
    """Runs `model` on each array in `inputs` with the project's onnxruntime-node (via ort_run.cjs).

    Returns (outputs per run, in output_names order; wall milliseconds per run)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lantern-ort-") as tmp:
        runs = []
        for i, x in enumerate(inputs):
            f = os.path.join(tmp, f"in{i}.bin")
            np.ascontiguousarray(x, dtype="<f4").tofile(f)
            runs.append({
                "input": {"name": input_name, "dims": list(x.shape), "file": f},
                "outputs": [{"name": n, "file": os.path.join(tmp, f"out{i}_{n}.bin")} for n in output_names],
            })
        req = os.path.join(tmp, "req.json")
        with open(req, "w") as fh:
            json.dump({"model": str(model), "threads": threads, "runs": runs}, fh)
        res = subprocess.run(["node", str(HERE / "ort_run.cjs"), req], check=True, capture_output=True, text=True)
        ms = json.loads(res.stdout.strip().splitlines()[-1])["ms"]
        outs = []
        for r in runs:
            outs.append([np.fromfile(o["file"], dtype="<f4") for o in r["outputs"]])
        return outs, ms


OOD_BEGIN = "<!-- ood:begin"
OOD_END = "<!-- ood:end -->"


def write_card_keeping_ood(path: Path, card: str) -> None:
    """Writes a model card, keeping the scope/OOD block that electron/app/imaging/imagingOodFitScript.ts appends
    (it is fitted from the exported model, so a card rewritten here must not drop it)."""
    block = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        i, j = old.find(OOD_BEGIN), old.find(OOD_END)
        if i >= 0 and j > i:
            block = old[i : j + len(OOD_END)]
    path.write_text(card.rstrip("\n") + ("\n\n" + block + "\n" if block else "\n"), encoding="utf-8")


#!/usr/bin/python3
"""Trains `pneumonia-xray`: PneumoniaMNIST (28x28 grey chest X-ray) -> normal / pneumonia.

    /usr/bin/python3 models/training/imaging/train_pneumonia.py            # full run, writes artefacts
    /usr/bin/python3 models/training/imaging/train_pneumonia.py --epochs 2 --dry-run   # smoke test

Reads ../shared/data/imaging/pneumoniamnist/pneumoniamnist_trainval.npz (or $LANTERN_DATA_DIR).
Trains on `train` only; the epoch is selected on `val` (lowest val log loss).
Writes models/artefacts/pneumonia-xray/{model.onnx,metrics.json,model-card.md}, the pneumonia-xray entry of
models/artefacts/manifest.json and the parity fixture models/runtime/imaging/fixtures/pneumonia-fixture.json.

Deterministic: same data, seed, thread count (2) and CPU -> same weights.
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
# First: it sets the OpenMP wait policy, which must precede torch.
import imaging_common as C  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

MODEL_ID = "pneumonia-xray"
VERSION = "1.0.0"
LABELS = ["normal", "pneumonia"]  # output index order (dataset: 0 normal, 1 pneumonia)
SIZE = 28
OUT_DIR = C.ARTEFACTS_DIR / MODEL_ID


# ----------------------------------------------------------------------------------------------- model


def conv_bn(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class PneumoniaNet(nn.Module):
    """Small VGG-style CNN: 28 -> 14 -> 7, global average pooling, linear head (so CAM == Grad-CAM)."""

    def __init__(self, width: int, mean: float, std: float, dropout: float):
        super().__init__()
        w = width
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.features = nn.Sequential(
            conv_bn(1, w), conv_bn(w, w), nn.MaxPool2d(2),
            conv_bn(w, 2 * w), conv_bn(2 * w, 2 * w), nn.MaxPool2d(2),
            conv_bn(2 * w, 4 * w), conv_bn(4 * w, 4 * w),
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(4 * w, 2)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.features((x - self.mean) / self.std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.forward_features(x)
        return self.head(self.dropout(a.mean(dim=(2, 3))))


class PneumoniaExport(nn.Module):
    """The exported graph. Input `image` [N,1,28,28] float32 in [0,1] (preprocessed as in the card).

    Outputs: `probabilities` [N,2] (softmax; index 0 normal, 1 pneumonia), `logits` [N,2], and
    `cam` [N,28,28]: the class-activation map of the logit difference (pneumonia - normal),
    sum_k (w_pneu,k - w_norm,k) A_k on the 7x7 last feature map, bilinearly upsampled
    (half-pixel centres) to 28x28. For a GAP + linear head this is exactly Grad-CAM's map before
    ReLU (Grad-CAM weights are the head weights / 49). Its 7x7 mean plus the bias difference is
    the logit difference. Positive = evidence for pneumonia, negative = evidence for normal.
    """

    def __init__(self, net: PneumoniaNet):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor):
        a = self.net.forward_features(x)
        logits = self.net.head(a.mean(dim=(2, 3)))
        wd = (self.net.head.weight[1] - self.net.head.weight[0]).view(1, -1, 1, 1)
        cam = (a * wd).sum(dim=1, keepdim=True)
        cam = F.interpolate(cam, size=(SIZE, SIZE), mode="bilinear", align_corners=False)
        return torch.softmax(logits, dim=1), logits, cam[:, 0]


# ------------------------------------------------------------------------------------ augmentation


def augment(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Random affine (rotation +-10 deg, scale 0.9-1.1, shift +-1.4 px), contrast, brightness, gamma."""
    n = x.shape[0]

    def u(lo: float, hi: float) -> torch.Tensor:
        return lo + (hi - lo) * torch.rand(n, generator=g)

    ang = u(-10, 10) * math.pi / 180
    sc = u(0.9, 1.1)
    tx, ty = u(-0.1, 0.1), u(-0.1, 0.1)
    cos, sin = torch.cos(ang) / sc, torch.sin(ang) / sc
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    m = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - m) * u(0.8, 1.2).view(n, 1, 1, 1) + m + u(-0.08, 0.08).view(n, 1, 1, 1)
    x = x.clamp(0, 1) ** torch.exp(u(-0.25, 0.25)).view(n, 1, 1, 1)
    return x


# ------------------------------------------------------------------------------ preprocessing fixture


def to_grey(rgb: np.ndarray) -> np.ndarray:
    """ITU-R 601-2 luma (PIL's 'L' conversion weights), on float values."""
    return (rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114).astype(np.float32)


def center_square(h: int, w: int):
    s = min(h, w)
    return (h - s) // 2, (w - s) // 2, s


def preprocess_reference(img: np.ndarray) -> np.ndarray:
    """Reference of the runtime preprocessing (TS classifyPneumonia): float [0,1] HxW or HxWx3 ->
    grey -> centre square crop (short edge; offset floor((long-short)/2)) -> Pillow BICUBIC resize
    (antialiased, a = -0.5) on a float ('F') image -> 28x28."""
    g = img if img.ndim == 2 else to_grey(img)
    y0, x0, s = center_square(*g.shape)
    crop = np.ascontiguousarray(g[y0:y0 + s, x0:x0 + s], dtype=np.float32)
    out = Image.fromarray(crop, mode="F").resize((SIZE, SIZE), resample=Image.BICUBIC)
    return np.array(out, dtype=np.float32)  # a writable copy


def pattern(w: int, h: int) -> np.ndarray:
    """Deterministic test image (exact in float32 in any language): ((3x^2 + 7y + xy) mod 251) / 250."""
    y, x = np.mgrid[0:h, 0:w].astype(np.int64)
    return (((3 * x * x + 7 * y + x * y) % 251).astype(np.float32) / np.float32(250.0)).astype(np.float32)


def write_preprocess_fixture() -> None:
    """models/runtime/imaging/fixtures/preprocess-fixture.json: Pillow's result for grey -> centre square ->
    BICUBIC 28x28 on pattern images of several sizes (strong and mild downscales, upscale, identity)."""
    cases = []
    for (w, h) in [(300, 220), (97, 640), (1024, 1024), (40, 31), (20, 26), (28, 28)]:
        cases.append({"width": w, "height": h, "expectedF32": C.f32_b64(preprocess_reference(pattern(w, h)))})
    C.write_json(C.FIXTURES_DIR / "preprocess-fixture.json", {
        "about": "generated by models/training/imaging/train_pneumonia.py with Pillow "
                 f"{Image.__version__}: pattern ((3x^2 + 7y + xy) mod 251) / 250, centre square, BICUBIC to 28x28",
        "cases": cases})


# ---------------------------------------------------------------------------------------- training


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor):
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(x[i:i + 256]) for i in range(0, x.shape[0], 256)])
        loss = F.cross_entropy(logits, y).item()
        p = torch.softmax(logits, 1)[:, 1].numpy()
    yy = y.numpy()
    return {"auc": C.roc_auc(p, yy), "acc": float(((p >= 0.5) == (yy == 1)).mean()), "logLoss": loss}, p


def ema_update(ema: nn.Module, model: nn.Module, decay: float) -> None:
    with torch.no_grad():
        for (_, e), (_, m) in zip(ema.state_dict().items(), model.state_dict().items()):
            if e.dtype.is_floating_point:
                e.mul_(decay).add_(m, alpha=1 - decay)
            else:
                e.copy_(m)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--weight-decay", type=float, default=5e-4)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--ema", type=float, default=0.995)
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--dry-run", action="store_true", help="train and report, write nothing")
    ap.add_argument("--preprocess-fixture-only", action="store_true", help="write the Pillow resize fixture, no training")
    ap.add_argument("--card-only", action="store_true", help="rewrite model-card.md from metrics.json, no training")
    args = ap.parse_args()
    if args.preprocess_fixture_only:
        write_preprocess_fixture()
        return
    if args.card_only:
        with open(OUT_DIR / "metrics.json", encoding="utf-8") as f:
            write_card(json.load(f), args)
        return

    C.seed_everything(args.seed)
    t_start = time.time()
    npz_rel = "imaging/pneumoniamnist/pneumoniamnist_trainval.npz"
    npz_path = C.data_dir() / npz_rel
    d = np.load(npz_path)
    xtr = torch.from_numpy(d["train_images"].astype(np.float32) / 255.0).unsqueeze(1)
    ytr = torch.from_numpy(d["train_labels"].ravel().astype(np.int64))
    xva = torch.from_numpy(d["val_images"].astype(np.float32) / 255.0).unsqueeze(1)
    yva = torch.from_numpy(d["val_labels"].ravel().astype(np.int64))
    mean, std = float(xtr.mean()), float(xtr.std())
    print(f"train {tuple(xtr.shape)} pneumonia {int(ytr.sum())}/{len(ytr)}; val {tuple(xva.shape)} "
          f"pneumonia {int(yva.sum())}/{len(yva)}; mean {mean:.4f} std {std:.4f}", flush=True)

    model = PneumoniaNet(args.width, mean, std, args.dropout)
    ema = copy.deepcopy(model)
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = math.ceil(len(xtr) / args.batch)
    total = args.epochs * steps_per_epoch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=total, pct_start=0.15)
    g = torch.Generator().manual_seed(args.seed)

    history = []
    best = None
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot_loss = 0.0
        for i in range(0, len(xtr), args.batch):
            idx = perm[i:i + args.batch]
            xb = augment(xtr[idx], g)
            loss = F.cross_entropy(model(xb), ytr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            ema_update(ema, model, args.ema)
            tot_loss += loss.item() * len(idx)
        ev, _ = evaluate(ema, xva, yva)
        rec = {"epoch": epoch, "trainLoss": round(tot_loss / len(xtr), 4), "valAuc": round(ev["auc"], 4),
               "valAcc": round(ev["acc"], 4), "valLogLoss": round(ev["logLoss"], 4),
               "seconds": round(time.time() - t0, 1)}
        history.append(rec)
        print(json.dumps(rec), flush=True)
        key = (-ev["logLoss"], ev["auc"])
        if best is None or key > best[0]:
            best = (key, epoch, copy.deepcopy(ema.state_dict()))
    train_seconds = time.time() - t_start
    assert best is not None
    _, best_epoch, state = best
    model.load_state_dict(state)
    model.eval()
    val, pva = evaluate(model, xva, yva)
    yv = yva.numpy()
    print(f"selected epoch {best_epoch}: val AUC {val['auc']:.4f} ACC {val['acc']:.4f} "
          f"log loss {val['logLoss']:.4f}; training {train_seconds:.0f} s", flush=True)
    if args.dry_run:
        return

    # ------------------------------------------------------------------------------------ export
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    onnx_path = OUT_DIR / "model.onnx"
    exp = PneumoniaExport(model).eval()
    torch.onnx.export(exp, torch.zeros(1, 1, SIZE, SIZE), str(onnx_path), opset_version=13,
                      input_names=["image"], output_names=["probabilities", "logits", "cam"],
                      dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"},
                                    "logits": {0: "batch"}, "cam": {0: "batch"}},
                      do_constant_folding=True)
    C.onnx_check(onnx_path)
    sha = C.sha256_file(onnx_path)

    # CAM sanity: mean of the 7x7 map + bias difference == logit difference
    with torch.no_grad():
        a = model.forward_features(xva[:64])
        wd = model.head.weight[1] - model.head.weight[0]
        lhs = (a * wd.view(1, -1, 1, 1)).sum(1).mean(dim=(1, 2)) + (model.head.bias[1] - model.head.bias[0])
        lg = model(xva[:64])
        cam_identity_err = float((lhs - (lg[:, 1] - lg[:, 0])).abs().max())

    # ---------------------------------------------------------------------- ONNX <-> PyTorch parity
    with torch.no_grad():
        pt_prob, pt_logits, pt_cam = exp(xva)
    batch_inputs = [xva.numpy()] + [xva[i:i + 1].numpy() for i in range(0, 50)]
    outs, ms = C.run_onnxruntime_node(onnx_path, "image", batch_inputs, ["probabilities", "logits", "cam"])
    o_prob = outs[0][0].reshape(-1, 2)
    o_cam = outs[0][2].reshape(-1, SIZE, SIZE)
    single_prob = np.stack([o[0].reshape(2) for o in outs[1:]])
    parity = {
        "runtime": "onnxruntime-node 1.23.2 (models/training/imaging/ort_run.cjs), 2 intra-op threads",
        "inputs": f"all {len(xva)} validation images as one batch + the first 50 one by one",
        "maxAbsDiffProbabilities": C.max_abs_diff([o_prob, single_prob], [pt_prob.numpy(), pt_prob[:50].numpy()]),
        "maxAbsDiffLogits": C.max_abs_diff([outs[0][1].reshape(-1, 2)], [pt_logits.numpy()]),
        "maxAbsDiffCam": C.max_abs_diff([o_cam], [pt_cam.numpy()]),
        "camIdentityMaxErr": cam_identity_err,
        "onnxValAuc": round(C.roc_auc(o_prob[:, 1], yv), 6),
    }
    single_ms = sorted(ms[1:])
    timing = {"onnxruntimeNodeSingleImageMedianMs": round(single_ms[len(single_ms) // 2], 3),
              "note": "model call only, batch 1, 2 threads, measured by the training script; see the TS test for end-to-end"}
    print("parity", json.dumps(parity), "timing", json.dumps(timing), flush=True)
    assert parity["maxAbsDiffProbabilities"] < 1e-4, parity

    # ------------------------------------------------------------------------------------ fixture
    rng = np.random.default_rng(args.seed)
    pick = np.concatenate([rng.choice(np.flatnonzero(yv == 0), 4, replace=False),
                           rng.choice(np.flatnonzero(yv == 1), 4, replace=False)])
    pick.sort()
    # Preprocessing fixture: a larger RGB image (a validation image upsampled with Pillow bicubic to
    # 37x45, tinted), its expected 28x28 model input (Pillow) and PyTorch's outputs on it.
    base = Image.fromarray(d["val_images"][int(pick[0])], mode="L").resize((37, 45), Image.BICUBIC)
    b = np.asarray(base, dtype=np.float32) / 255.0
    rgb = np.clip(np.stack([b * 0.9 + 0.05, b, b * 0.8], axis=-1), 0, 1).astype(np.float32)
    pre = preprocess_reference(rgb)
    with torch.no_grad():
        fx_prob, _, fx_cam = exp(torch.from_numpy(d["val_images"][pick].astype(np.float32) / 255.0).unsqueeze(1))
        rgb_prob, _, rgb_cam = exp(torch.from_numpy(pre).view(1, 1, SIZE, SIZE))
    fixture = {
        "about": "generated by models/training/imaging/train_pneumonia.py; PyTorch outputs on validation images",
        "modelSha256": sha,
        "labels": LABELS,
        "validation": [{"index": int(i), "label": LABELS[int(yv[i])], "pixelsU8": C.u8_b64(d["val_images"][i]),
                        "probabilities": {"normal": float(fx_prob[k, 0]), "pneumonia": float(fx_prob[k, 1])},
                        "camF32": C.f32_b64(fx_cam[k].numpy())}
                       for k, i in enumerate(pick)],
        "preprocessing": {"width": 37, "height": 45, "channels": 3, "rgbF32": C.f32_b64(rgb),
                          "expectedInputF32": C.f32_b64(pre),
                          "probabilities": {"normal": float(rgb_prob[0, 0]), "pneumonia": float(rgb_prob[0, 1])},
                          "camF32": C.f32_b64(rgb_cam[0].numpy())},
    }
    C.write_json(C.FIXTURES_DIR / "pneumonia-fixture.json", fixture)
    write_preprocess_fixture()

    # ------------------------------------------------------------------------------------ metrics
    rep05 = C.rounded(C.binary_report(pva, yv, 0.5))
    cal = C.calibration(pva, yv)
    metrics = {
        "modelId": MODEL_ID,
        "version": VERSION,
        "artefactSha256": sha,
        "data": {"file": npz_rel, "sha256": C.sha256_file(npz_path),
                 "train": {"n": int(len(ytr)), "pneumonia": int(ytr.sum()), "normal": int((ytr == 0).sum())},
                 "val": {"n": int(len(yva)), "pneumonia": int(yva.sum()), "normal": int((yva == 0).sum())}},
        "training": {"architecture": f"VGG-style CNN, widths {args.width}/{2*args.width}/{4*args.width}, BN, GAP, linear",
                     "parameters": n_params, "inputMean": round(mean, 6), "inputStd": round(std, 6), "epochs": args.epochs, "batch": args.batch, "optimizer": "AdamW",
                     "lr": args.lr, "schedule": "one-cycle (15% warm-up, cosine)", "weightDecay": args.weight_decay,
                     "dropout": args.dropout, "emaDecay": args.ema, "seed": args.seed,
                     "augmentation": "affine rot +-10deg, scale 0.9-1.1, shift +-1.4px (bilinear, border), "
                                     "contrast 0.8-1.2, brightness +-0.08, gamma exp(+-0.25)",
                     "selection": "EMA weights of the epoch with the lowest val log loss (val AUC saturates near 0.997)",
                     "selectedEpoch": best_epoch, "trainingSeconds": round(train_seconds, 1),
                     "environment": C.environment(), "history": history},
        "validation": {"auc": round(val["auc"], 4), "logLoss": round(val["logLoss"], 4), "at0.5": rep05,
                       "calibration": cal},
        "published": {"source": "MedMNIST v2 (Yang et al. 2023), PneumoniaMNIST TEST split",
                      "ResNet-18 (28)": {"auc": 0.944, "acc": 0.854}, "AutoKeras": {"auc": 0.947, "acc": 0.878},
                      "caveat": "published numbers are on the test split (624 images, 37.5% normal), which is "
                                "known to be harder than val; our numbers are on val and are not comparable 1:1"},
        "parity": parity,
        "timing": timing,
    }
    C.write_json(OUT_DIR / "metrics.json", metrics)

    inputs = {
        "image": {"shape": [-1, 1, SIZE, SIZE], "dtype": "float32", "range": [0, 1], "layout": "NCHW"},
        "preprocessing": {
            "grey": "RGB -> 0.299 R + 0.587 G + 0.114 B (ITU-R 601-2, PIL 'L' weights); grey used as is",
            "crop": "centre square of side min(w,h), offset floor((long-short)/2)",
            "resize": "Pillow-compatible antialiased bicubic (a=-0.5, support 2 x scale), to 28x28",
            "normalisation": "none outside the graph (pixel values in [0,1]; mean/std inside the graph)",
        },
        "outputs": {"probabilities": [-1, 2], "logits": [-1, 2], "cam": [-1, SIZE, SIZE]},
    }
    C.write_onnx_manifest_entry(MODEL_ID, VERSION, sha, inputs, LABELS)
    write_card(metrics, args)
    print(f"wrote {onnx_path} sha256 {sha}", flush=True)


def write_card(m: dict, args) -> None:
    v = m["validation"]
    r = v["at0.5"]
    t = m["training"]
    rel = "\n".join(f"| {b['bin'][0]:.1f}–{b['bin'][1]:.1f} | {b['n']} | {b['meanPredicted']:.3f} | {b['fractionPositive']:.3f} |"
                    for b in v["calibration"]["reliability"])
    card = f"""# Model card: `{MODEL_ID}` {VERSION}

Generated by `models/training/imaging/train_pneumonia.py`; do not edit by hand.
Artefact `model.onnx` sha256 `{m['artefactSha256']}`.

## What it does

Chest X-ray → probability of **pneumonia** vs **normal**, from a 28×28 grey thumbnail, with a
class-activation map (CAM) showing which regions pushed the decision. Small VGG-style CNN
({t['parameters']:,} parameters; widths {args.width}/{2*args.width}/{4*args.width}, batch norm, global average pooling, linear head).

**Decision support only — not for diagnosis without a clinician.** 28×28 pixels discard almost all
radiological detail; the model sees a silhouette-level image.

## Licence and intended use

Data: PneumoniaMNIST from MedMNIST v2 (Yang et al., *Scientific Data* 2023), derived from Kermany et al.
2018 (Guangzhou Women and Children's Medical Center). Licence: **CC BY 4.0** (attribution required:
cite MedMNIST v2 and Kermany et al.).

## Data and split

- `{m['data']['file']}` (sha256 `{m['data']['sha256']}`).
- Train: {m['data']['train']['n']} images ({m['data']['train']['pneumonia']} pneumonia, {m['data']['train']['normal']} normal) — used for training only.
- Val: {m['data']['val']['n']} images ({m['data']['val']['pneumonia']} pneumonia, {m['data']['val']['normal']} normal) — used for epoch selection and the metrics below.
- The official test split (624 images) is held out outside this project for acceptance; never seen here.

## Input and preprocessing (the runtime does this: `models/runtime/imaging/imagingModels.ts`)

1. Any size, grey or RGB, pixel values in [0,1]. RGB → grey with ITU-R 601-2 luma (0.299 R + 0.587 G + 0.114 B, PIL's "L" weights).
2. Centre square crop of side min(width, height) (offset floor((long − short)/2)) — MedMNIST's own
   step for this dataset ("center-crop with a window size of length of the short edge").
3. Resize to 28×28 with **Pillow-compatible antialiased bicubic** (a = −0.5, kernel support scaled by the
   reduction factor; separable, horizontal then vertical), computed in float. MedMNIST does not document
   its interpolation; Pillow's default `resize` filter is bicubic, and the TS implementation is checked against
   Pillow itself (fixtures `models/runtime/imaging/fixtures/preprocess-fixture.json`, `pneumonia-fixture.json`).
4. No further normalisation outside the model: (x − {m['training']['inputMean']:.4f}) / {m['training']['inputStd']:.4f} (training-set mean/std) is inside the graph.

## Training

{t['epochs']} epochs, batch {t['batch']}, AdamW (lr {t['lr']}, weight decay {t['weightDecay']}), one-cycle schedule, dropout {t['dropout']},
EMA of weights (decay {t['emaDecay']}), seed {t['seed']}, 2 CPU threads ({t['trainingSeconds']:.0f} s).
Augmentation: {t['augmentation']}. No horizontal flips (anatomy is not mirror-symmetric).
Selection: {t['selection']} → epoch {t['selectedEpoch']}.

## Validation metrics (val split, 524 images)

| metric | value |
|---|---|
| AUC | {v['auc']:.4f} |
| accuracy @ 0.5 | {r['accuracy']:.4f} |
| sensitivity (pneumonia) @ 0.5 | {r['sensitivity']:.4f} |
| specificity @ 0.5 | {r['specificity']:.4f} |
| PPV / NPV @ 0.5 | {r['ppv']:.4f} / {r['npv']:.4f} |
| log loss | {v['logLoss']:.4f} |
| Brier | {v['calibration']['brier']:.4f} |
| ECE (10 bins) | {v['calibration']['ece10']:.4f} |

Published MedMNIST v2 baselines (**test split**): ResNet-18 (28) AUC 0.944 / ACC 0.854; AutoKeras AUC 0.947 / ACC 0.878.
**Not comparable 1:1**: our numbers are on the validation split, which for PneumoniaMNIST is drawn from the same pool
as train, whereas the test split is the original, differently distributed Kermany test set (37.5% normal vs 26% here)
on which published models score markedly lower than on val. Expect lower accuracy on the held-out test.
The decision threshold is fixed at 0.5 (not tuned on val).

### Calibration (val, P(pneumonia), raw softmax, no temperature scaling)

| bin | n | mean predicted | fraction pneumonia |
|---|---|---|---|
{rel}

### Subgroups

PneumoniaMNIST carries no age, sex, device or view per image, so no demographic subgroup can be measured. What
can be: by class (sensitivity and specificity above), and by input size (native 28 px and upsampled to 512 px,
in "Held-out performance through the runtime" below).

## External results

None yet. No second chest X-ray dataset is in the offline data, and the official test split is held out for
acceptance. Adult X-rays are outside the training population (see the scope section below for how they are
treated).

## Saliency

Output `cam`: the class-activation map of the logit difference (pneumonia − normal) on the 7×7 last feature map,
bilinearly upsampled to 28×28 inside the graph. With a GAP + linear head this equals Grad-CAM (before ReLU), and its
7×7 mean plus the bias difference reproduces the logit difference (checked: max error {m['parity']['camIdentityMaxErr']:.1e}).
The runtime (`classifyPneumonia`) shows the ReLU of the map for the predicted class (positive part for pneumonia,
negative part for normal), scaled to [0,1] by its maximum, and lays it over the original image (bilinear, inside the
centre square the model saw; 0 outside it). Coarse (7×7 cells); it shows where the model looked, not where disease is.

## ONNX

Opset 13, input `image` [N,1,28,28], outputs `probabilities` [N,2] (0 normal, 1 pneumonia), `logits`, `cam` [N,28,28].
Parity with PyTorch in onnxruntime-node: max |Δp| {m['parity']['maxAbsDiffProbabilities']:.1e}, max |Δcam| {m['parity']['maxAbsDiffCam']:.1e}.
Model call ≈ {m['timing']['onnxruntimeNodeSingleImageMedianMs']:.2f} ms per image (batch 1, 2 threads).

## Known limits

- 28×28 resolution: subtle or small consolidations are invisible; no localisation claim.
- Source population: **paediatric** (age 1–5) anterior-posterior chest X-rays from one Chinese centre. Adults,
  PA/lateral views, other hospitals and devices are out of distribution.
- Two classes only: "pneumonia" lumps bacterial and viral; other findings (effusion, TB, COVID-19, tubes, lines)
  are not modelled and may be labelled either way.
- Validation metrics are in-distribution and optimistic relative to the official test split.
- Not a diagnosis; a clinician must read the image.
"""
    C.write_card_keeping_ood(OUT_DIR / "model-card.md", card)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Trains Lantern's `disease-ner` model: word + character-CNN + case embeddings -> BiLSTM -> CRF.

    /usr/bin/python3 -B models/training/nlp/train_disease_ner.py [--max-minutes 13] [--seed 20240611]

Data: ../shared/data/nlp/ncbi-disease/{train,devel}.tsv (or $LANTERN_DATA_DIR). Trains on train only, picks
the epoch with the best devel entity F1 (conlleval-style exact span match), then writes to models/artefacts/disease-ner/:

  model.onnx    emissions network (inputs word_ids [1,T], char_ids [1,T,C], case_ids [1,T], gaz_ids [1,T] int64;
                output emissions [1,T,3] float32); Viterbi decoding over crf.json runs in TypeScript
  gazetteer.json  word-key sequences of the training mentions (feature gaz_ids: greedy longest match)
  vocab.json    tokeniser id, word and character vocabularies, case classes (shared with models/runtime/nlp/tokenise.ts)
  crf.json      labels, transition / start / end scores
  fixture.json  sentences with their tokens, ids, PyTorch emissions and decoded tags (parity tests in TS)
  metrics.json, model-card.md
and updates the `disease-ner` entry of models/runtime/manifest.json.

Word vectors are learnt from the training corpus only (random init, no downloads). CPU, 2 threads (`--threads`), seeded; `--checkpoint` keeps the best-devel state on disk as it goes.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time

sys.dont_write_bytecode = True
# Busy-waiting OpenMP threads collapse on a shared, oversubscribed 2-core box (15x slower measured).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from disease_dictionary import dictionary_keys, dictionary_names  # noqa: E402
from nlp_common import (  # noqa: E402
    CASE_CLASSES,
    TOKENISER_ID,
    case_class,
    conll_chunks,
    data_dir,
    prf,
    project_root,
    read_iob,
    rel_to_models,
    sha256_file,
    tokenise,
    update_nlp_manifest,
    word_key,
    write_json,
)

MODEL_ID = "disease-ner"
VERSION = "1.4.0"
LABELS = ["O", "B-Disease", "I-Disease"]
MAX_CHARS = 32  # characters per token seen by the char-CNN (first 32 code points); same in TS
PAD, UNK = 0, 1


# ---------------------------------------------------------------- vocabularies and encoding
class Vocab:
    def __init__(self, words: list[str], chars: list[str]):
        self.words = words
        self.chars = chars
        self.w2i = {w: i for i, w in enumerate(words)}
        self.c2i = {c: i for i, c in enumerate(chars)}

    def encode(self, tokens: list[str], gaz: set | None = None):
        w = [self.w2i.get(word_key(t), UNK) for t in tokens]
        c = [[self.c2i.get(ch, UNK) for ch in list(t)[:MAX_CHARS]] for t in tokens]
        k = [case_class(t) for t in tokens]
        g = gaz_tags(tokens, gaz) if gaz is not None else [1] * len(tokens)
        return w, c, k, g


MAX_GAZ_LEN = 8  # longest gazetteer entry, in tokens; same in TS
GAZ_CLASSES = ["pad", "O", "B", "I"]


def build_gazetteer(sents) -> set[tuple[str, ...]]:
    """Word-key sequences of the gold mentions in sents (those with at least one letter, <= MAX_GAZ_LEN tokens)."""
    gaz: set[tuple[str, ...]] = set()
    for toks, tags in sents:
        for s, e, _ in conll_chunks(tags):
            key = tuple(word_key(t) for t in toks[s:e])
            if len(key) <= MAX_GAZ_LEN and any(c.isalpha() for c in "".join(key)):
                gaz.add(key)
    return gaz


def gaz_tags(tokens: list[str], gaz: set[tuple[str, ...]]) -> list[int]:
    """Greedy longest match, left to right: 1 = outside, 2 = first token of a match, 3 = inside (0 is padding)."""
    keys = [word_key(t) for t in tokens]
    n = len(keys)
    out = [1] * n
    i = 0
    while i < n:
        best = 0
        for L in range(min(MAX_GAZ_LEN, n - i), 0, -1):
            if tuple(keys[i : i + L]) in gaz:
                best = L
                break
        if best:
            out[i] = 2
            for j in range(i + 1, i + best):
                out[j] = 3
            i += best
        else:
            i += 1
    return out


def build_vocab(sents) -> tuple[Vocab, set[int]]:
    wc: dict[str, int] = {}
    cc: dict[str, int] = {}
    for toks, _ in sents:
        for t in toks:
            wc[word_key(t)] = wc.get(word_key(t), 0) + 1
            for ch in t:
                cc[ch] = cc.get(ch, 0) + 1
    words = ["<pad>", "<unk>"] + sorted(wc, key=lambda w: (-wc[w], w))
    chars = ["<pad>", "<unk>"] + sorted(cc, key=lambda c: (-cc[c], c))
    v = Vocab(words, chars)
    singletons = {v.w2i[w] for w, n in wc.items() if n == 1}
    return v, singletons


def pad_batch(items):
    """items: list of (w, c, k, g, y). Returns padded LongTensors and lengths."""
    B = len(items)
    T = max(len(x[0]) for x in items)
    C = max(max(len(cs) for cs in x[1]) for x in items)
    W = torch.zeros(B, T, dtype=torch.long)
    Ch = torch.zeros(B, T, C, dtype=torch.long)
    K = torch.zeros(B, T, dtype=torch.long)
    G = torch.zeros(B, T, dtype=torch.long)
    Y = torch.zeros(B, T, dtype=torch.long)
    L = torch.tensor([len(x[0]) for x in items], dtype=torch.long)
    for b, (w, c, k, g, y) in enumerate(items):
        W[b, : len(w)] = torch.tensor(w)
        K[b, : len(k)] = torch.tensor(k)
        G[b, : len(g)] = torch.tensor(g)
        Y[b, : len(y)] = torch.tensor(y)
        for t, cs in enumerate(c):
            Ch[b, t, : len(cs)] = torch.tensor(cs)
    return W, Ch, K, G, Y, L


def substitute_mentions(toks, tags, pool, rng):
    """A copy of the sentence with every mention replaced by a name drawn from pool (lists of tokens)."""
    out_t, out_y, i, n = [], [], 0, len(toks)
    while i < n:
        if tags[i] == "O":
            out_t.append(toks[i])
            out_y.append("O")
            i += 1
            continue
        j = i + 1
        while j < n and tags[j] == "I-Disease":
            j += 1
        name = list(pool[rng.randrange(len(pool))])
        # lower-case the first letter unless the mention starts the sentence (names are listed capitalised)
        if i > 0 and name[0][:1].isupper() and name[0][1:].islower():
            name[0] = name[0].lower()
        out_t += name
        out_y += ["B-Disease"] + ["I-Disease"] * (len(name) - 1)
        i = j
    return out_t, out_y


# ---------------------------------------------------------------- model
class Emitter(nn.Module):
    def __init__(self, n_words, n_chars, n_case, n_tags, wd=100, cd=32, cf=64, kd=8, hid=160, dropout=0.5):
        super().__init__()
        self.wemb = nn.Embedding(n_words, wd, padding_idx=PAD)
        self.cemb = nn.Embedding(n_chars, cd, padding_idx=PAD)
        self.conv = nn.Conv1d(cd, cf, kernel_size=3, padding=1)
        self.kemb = nn.Embedding(n_case, kd, padding_idx=0)
        self.gemb = nn.Embedding(len(GAZ_CLASSES), kd, padding_idx=0)
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(wd + cf + 2 * kd, hid, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hid, n_tags)

    def embed(self, w, c, k, g):
        B, T, C = c.shape[0], c.shape[1], c.shape[2]
        flat = c.reshape(B * T, C)
        ce = self.cemb(flat).transpose(1, 2)  # [BT, cd, C]
        co = torch.tanh(self.conv(ce))  # [BT, cf, C]
        mask = (flat == PAD).unsqueeze(1)  # [BT, 1, C]
        co = co.masked_fill(mask, -2.0)  # below tanh's range: padding never wins the max
        cf = co.max(dim=2).values  # [BT, cf]
        cf = torch.clamp(cf, min=-1.0)  # all-padding rows (batch padding) -> -1, irrelevant (masked later)
        cf = cf.reshape(B, T, -1)
        return torch.cat([self.wemb(w), cf, self.kemb(k), self.gemb(g)], dim=2)

    def forward(self, w, c, k, g):
        """Unpacked (batch of one, no padding): the exported graph."""
        x = self.embed(w, c, k, g)
        h, _ = self.lstm(x)
        return self.out(h)

    def emissions_packed(self, w, c, k, g, lengths):
        x = self.drop(self.embed(w, c, k, g))
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=w.shape[1])
        return self.out(self.drop(h))


class EnsembleEmitter(nn.Module):
    """Networks of the same architecture, vocabulary and gazetteer whose emissions are averaged: exported as one
    graph with the same inputs and output as a single Emitter, so the runtime (and its Viterbi) does not change."""

    def __init__(self, members: list[Emitter]):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, w, c, k, g):
        return torch.stack([m(w, c, k, g) for m in self.members]).mean(dim=0)

    def emissions_packed(self, w, c, k, g, lengths):
        return torch.stack([m.emissions_packed(w, c, k, g, lengths) for m in self.members]).mean(dim=0)


class CRF(nn.Module):
    def __init__(self, n_tags):
        super().__init__()
        self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))  # trans[i, j]: from i to j
        self.start = nn.Parameter(torch.zeros(n_tags))
        self.end = nn.Parameter(torch.zeros(n_tags))

    def nll(self, em, tags, mask):
        """Mean negative log-likelihood. em [B,T,K], tags [B,T], mask [B,T] bool (prefix masks)."""
        B, T, K = em.shape
        # gold path score
        score = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        for t in range(1, T):
            m = mask[:, t]
            s = self.trans[tags[:, t - 1], tags[:, t]] + em[:, t].gather(1, tags[:, t : t + 1]).squeeze(1)
            score = score + s * m
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        score = score + self.end[last]
        # partition function
        alpha = self.start.unsqueeze(0) + em[:, 0]  # [B,K]
        for t in range(1, T):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans.unsqueeze(0), dim=1) + em[:, t]
            alpha = torch.where(mask[:, t].unsqueeze(1), nxt, alpha)
        logz = torch.logsumexp(alpha + self.end.unsqueeze(0), dim=1)
        return (logz - score).mean()

    def viterbi(self, em: np.ndarray) -> list[int]:
        """Single sentence, numpy float64 arithmetic over float32 scores (TS does the same in float64)."""
        trans = self.trans.detach().numpy().astype(np.float64)
        start = self.start.detach().numpy().astype(np.float64)
        end = self.end.detach().numpy().astype(np.float64)
        return viterbi_np(em.astype(np.float64), trans, start, end)


def viterbi_np(em, trans, start, end) -> list[int]:
    T, K = em.shape
    score = start + em[0]
    back = np.zeros((T, K), dtype=np.int64)
    for t in range(1, T):
        cand = score[:, None] + trans  # [from, to]
        back[t] = cand.argmax(axis=0)  # first maximum on ties, as in TS
        score = cand.max(axis=0) + em[t]
    score = score + end
    best = int(score.argmax())
    path = [best]
    for t in range(T - 1, 0, -1):
        best = int(back[t, best])
        path.append(best)
    return path[::-1]


def load_from_release(emitter: Emitter, crf: CRF, vocab: Vocab, folder: str) -> str:
    """Warm start from a released model (model.onnx, crf.json, vocab.json of the same architecture and vocabulary).

    The ONNX LSTM holds both directions' weights with gates in i, o, f, c order and the two bias vectors joined;
    PyTorch keeps i, f, g(=c), o per direction. Returns the sha256 of the model.onnx read."""
    import json

    import onnx
    from onnx import numpy_helper

    with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
        rv = json.load(f)
    if rv["words"] != vocab.words or rv["chars"] != vocab.chars:
        raise SystemExit(f"{folder}: vocabulary differs from the one built from train.tsv; cannot warm start")
    model = onnx.load(os.path.join(folder, "model.onnx"))
    init = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    if sum(n.op_type == "LSTM" for n in model.graph.node) != 1:
        raise SystemExit(f"{folder}: an ensemble graph; warm start reads one network (use --ensemble with its members)")
    lstm = next(n for n in model.graph.node if n.op_type == "LSTM")
    W, R, B = (init[n] for n in (lstm.input[1], lstm.input[2], lstm.input[3]))
    matmul = next(n for n in model.graph.node if n.op_type == "MatMul" and n.input[1] in init)
    H = R.shape[2]
    order = [0, 2, 3, 1]  # PyTorch gate k is ONNX gate order[k]

    def gates(x):
        return torch.cat([x[k * H : (k + 1) * H] for k in order], dim=0)

    state = {k: init[k] for k in ("wemb.weight", "cemb.weight", "conv.weight", "conv.bias", "kemb.weight", "gemb.weight", "out.bias")}
    for d, suffix in ((0, ""), (1, "_reverse")):
        state[f"lstm.weight_ih_l0{suffix}"] = gates(W[d])
        state[f"lstm.weight_hh_l0{suffix}"] = gates(R[d])
        state[f"lstm.bias_ih_l0{suffix}"] = gates(B[d][: 4 * H])
        state[f"lstm.bias_hh_l0{suffix}"] = gates(B[d][4 * H :])
    state["out.weight"] = init[matmul.input[1]].t().contiguous()
    emitter.load_state_dict(state)
    with open(os.path.join(folder, "crf.json"), encoding="utf-8") as f:
        rc = json.load(f)
    crf.load_state_dict({"trans": torch.tensor(rc["transitions"]), "start": torch.tensor(rc["start"]), "end": torch.tensor(rc["end"])})
    return sha256_file(os.path.join(folder, "model.onnx"))


# ---------------------------------------------------------------- evaluation
def predict(emitter: Emitter, crf: CRF, vocab: Vocab, tokens: list[str], gaz) -> tuple[list[int], np.ndarray]:
    w, c, k, g = vocab.encode(tokens, gaz)
    W, Ch, K, G, _, _ = pad_batch([(w, c, k, g, [0] * len(w))])
    with torch.no_grad():
        em = emitter(W, Ch, K, G)[0].numpy()
    return crf.viterbi(em), em


def evaluate(emitter, crf, vocab, sents, gaz) -> dict:
    """Batched (packed) emissions, per-sentence Viterbi."""
    emitter.eval()
    tp = fp = fn = 0
    tok_ok = tok_n = 0
    paths = {}
    order = sorted(range(len(sents)), key=lambda i: len(sents[i][0]))
    with torch.no_grad():
        for b in range(0, len(order), 64):
            idx = order[b : b + 64]
            items = [(*vocab.encode(sents[i][0], gaz), [0] * len(sents[i][0])) for i in idx]
            W, Ch, K, G, _, L = pad_batch(items)
            em = emitter.emissions_packed(W, Ch, K, G, L).numpy()
            for r, i in enumerate(idx):
                paths[i] = crf.viterbi(em[r, : len(sents[i][0])])
    for i, (toks, tags) in enumerate(sents):
        path = paths[i]
        pred = [LABELS[i] for i in path]
        g, p = conll_chunks(tags), conll_chunks(pred)
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        tok_ok += sum(a == b for a, b in zip(tags, pred))
        tok_n += len(tags)
    out = prf(tp, fp, fn)
    out["tokenAccuracy"] = round(tok_ok / tok_n, 4)
    return out


# ---------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--max-minutes", type=float, default=13.0)
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--patience", type=int, default=10)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--hidden", type=int, default=160)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--out", default=os.path.join(project_root(), "models", "artefacts", "disease-ner"))
    ap.add_argument("--no-write", action="store_true", help="train and evaluate only")
    ap.add_argument("--no-gazetteer", action="store_true", help="leave the training-mention gazetteer feature empty")
    ap.add_argument("--no-dictionary", action="store_true", help="no ICD-10-CM / clinical-vocabulary entries in the gazetteer")
    ap.add_argument("--substitute", type=float, default=0.5, help="share of training sentences with mentions added again with the mentions replaced by other disease names")
    ap.add_argument("--init-from", default=None, help="warm start from a released model folder (fine-tuning); recorded in metrics.json")
    ap.add_argument("--check-init", action="store_true", help="with --init-from: compare the loaded network's emissions with the folder's fixture.json and stop")
    ap.add_argument("--card-only", action="store_true", help="rewrite model-card.md from metrics.json and the manifest")
    ap.add_argument("--threads", type=int, default=2, help="torch threads (1 when another job shares the 2 cores)")
    ap.add_argument("--average", action="store_true", help="also keep the uniform average of the weights after each epoch; it competes with the epochs on devel F1")
    ap.add_argument("--checkpoint", default=None, help="saves the best-devel state here whenever it improves, so a run cut short still gives a model")
    ap.add_argument("--from-checkpoint", default=None, help="writes the artefacts from a --checkpoint file instead of training")
    ap.add_argument(
        "--ensemble",
        nargs="+",
        default=None,
        help="no training: release folders and/or --checkpoint files whose emissions are averaged in one graph, with the members' CRF scores averaged",
    )
    args = ap.parse_args()
    if args.card_only:
        rewrite_card(args.out)
        return

    t0 = time.time()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    ddir = os.path.join(data_dir(), "nlp", "ncbi-disease")
    train_path, devel_path = os.path.join(ddir, "train.tsv"), os.path.join(ddir, "devel.tsv")
    train, devel = read_iob(train_path), read_iob(devel_path)
    # The corpus must already be tokenised the way our tokeniser does it, or runtime and training differ.
    for toks, _ in train + devel:
        for t in toks:
            if [x[0] for x in tokenise(t)] != [t]:
                raise SystemExit(f"corpus token {t!r} is not one token for {TOKENISER_ID}")
    for _, tags in train + devel:
        for t in tags:
            if t not in LABELS:
                raise SystemExit(f"unexpected tag {t}")

    vocab, singletons = build_vocab(train)
    lab = {l: i for i, l in enumerate(LABELS)}
    # Gazetteer feature: gold mentions of the training split. For the training sentences themselves it is built
    # 5-fold (each sentence sees only the other folds' mentions), so the model learns how far to trust it.
    names = [] if args.no_dictionary else dictionary_names()
    dict_keys = dictionary_keys(names)
    gaz_full: set = (set() if args.no_gazetteer else build_gazetteer(train)) | dict_keys
    fold_of = {}
    shuffled_idx = list(range(len(train)))
    random.Random(args.seed).shuffle(shuffled_idx)
    for n, i in enumerate(shuffled_idx):
        fold_of[i] = n % 5
    fold_gaz = [(set() if args.no_gazetteer else build_gazetteer([train[i] for i in range(len(train)) if fold_of[i] != f])) | dict_keys for f in range(5)]
    enc_train = [(*vocab.encode(toks, fold_gaz[fold_of[i]]), [lab[t] for t in tags]) for i, (toks, tags) in enumerate(train)]
    # Entity-name substitution: names from the other folds' mentions and from the dictionary, so the network
    # learns the contexts diseases are written in, not only the training names.
    rng_sub = random.Random(args.seed + 1)
    n_sub = 0
    for f in range(5):
        fold_pool = sorted({tuple(toks[s:e]) for i, (toks, tags) in enumerate(train) if fold_of[i] != f for s, e, _ in conll_chunks(tags)})
        pool = fold_pool + [tuple(t for t, _, _ in tokenise(n)) for n in names]
        for i, (toks, tags) in enumerate(train):
            if fold_of[i] != f or "B-Disease" not in tags or rng_sub.random() >= args.substitute:
                continue
            st, sy = substitute_mentions(toks, tags, pool, rng_sub)
            enc_train.append((*vocab.encode(st, fold_gaz[f]), [lab[t] for t in sy]))
            n_sub += 1
    print(f"substituted copies: {n_sub}; dictionary names: {len(names)}", flush=True)
    args.substituted, args.dictionary_count = n_sub, len(names)
    print(f"gazetteer: {len(gaz_full)} mention forms", flush=True)
    print(f"train {len(train)} sents, devel {len(devel)}; {len(vocab.words)} words, {len(vocab.chars)} chars", flush=True)

    emitter = Emitter(len(vocab.words), len(vocab.chars), len(CASE_CLASSES), len(LABELS), hid=args.hidden, dropout=args.dropout)
    crf = CRF(len(LABELS))
    init_sha = None
    if args.init_from:
        init_sha = load_from_release(emitter, crf, vocab, args.init_from)
        if args.check_init:
            check_init(emitter, crf, vocab, args.init_from)
            return
        emitter.eval()
        start_dev = evaluate(emitter, crf, vocab, devel, gaz_full)
        print(f"warm start {init_sha[:12]}: devel with the new gazetteer P {start_dev['precision']:.4f} R {start_dev['recall']:.4f} F1 {start_dev['f1']:.4f}", flush=True)
        args.warm_start = {"from": args.init_from, "sha256": init_sha, "develAtStart": {k: start_dev[k] for k in ("precision", "recall", "f1")}, "develOfRelease": release_devel_f1(args.init_from)}
    else:
        args.warm_start = None
    if args.ensemble:
        emitter, crf, final, args.ensemble_info = build_ensemble(args, vocab, devel, gaz_full)
        print(f"ensemble: devel {final}", flush=True)
        if not args.no_write:
            best = {**final, "epoch": 0, "selected": "ensemble"}
            write_artefacts(args, emitter, crf, vocab, gaz_full, train, devel, train_path, devel_path, final, best, [], time.time() - t0)
        return
    args.ensemble_info = None
    params = list(emitter.parameters()) + list(crf.parameters())
    opt = torch.optim.Adam(params, lr=args.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1.0 / (1.0 + 0.05 * e))

    best = {"f1": -1.0}
    best_state = None
    history = []
    bad = 0
    avg_state, n_avg = None, 0
    if args.from_checkpoint:
        ck = torch.load(args.from_checkpoint)
        best, best_state, history = ck["best"], (ck["emitter"], ck["crf"]), ck["history"]
        if os.path.exists(args.from_checkpoint + ".history.json"):
            import json

            with open(args.from_checkpoint + ".history.json", encoding="utf-8") as f:
                run = json.load(f)
            history = run["history"]
            t0 += ck["seconds"] - run["seconds"]  # the whole run's time, not only up to the selected epoch
        args.warm_start, args.threads, args.lr = ck["warmStart"], ck["threads"], ck["lr"]
        t0 -= ck["seconds"]
        args.epochs = 0  # no training: the loop below is skipped
    budget = args.max_minutes * 60
    epoch_times = []
    for epoch in range(1, args.epochs + 1):
        te = time.time()
        emitter.train()
        # length-bucketed batches (little padding), batch order shuffled
        order = list(range(len(enc_train)))
        random.shuffle(order)
        order.sort(key=lambda j: len(enc_train[j][0]))
        batches = [order[i : i + args.batch] for i in range(0, len(order), args.batch)]
        random.shuffle(batches)
        total = 0.0
        for batch in batches:
            items = []
            for j in batch:
                w, c, k, g, y = enc_train[j]
                # word dropout: singletons become <unk> half the time so <unk> is learnt
                w = [UNK if (x in singletons and random.random() < 0.5) else x for x in w]
                items.append((w, c, k, g, y))
            W, Ch, K, G, Y, L = pad_batch(items)
            mask = torch.arange(W.shape[1]).unsqueeze(0) < L.unsqueeze(1)
            em = emitter.emissions_packed(W, Ch, K, G, L)
            loss = crf.nll(em, Y, mask)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            total += loss.item() * len(items)
        sched.step()
        dev = evaluate(emitter, crf, vocab, devel, gaz_full)
        entry = {"epoch": epoch, "trainLoss": round(total / len(order), 4), **{k: dev[k] for k in ("precision", "recall", "f1")}}
        state = ({k: v.clone() for k, v in emitter.state_dict().items()}, {k: v.clone() for k, v in crf.state_dict().items()})
        candidates = [(dev, state, "epoch %d" % epoch)]
        if args.average:
            # Uniform average of the weights after epochs 1..epoch (no batch norm, so nothing to recompute):
            # it smooths the epoch-to-epoch swing of devel F1 and is still one network of the same graph.
            n_avg += 1
            if avg_state is None:
                avg_state = ({k: v.clone().float() for k, v in state[0].items()}, {k: v.clone() for k, v in state[1].items()})
            else:
                for a, b in zip(avg_state, state):
                    for k in a:
                        if a[k].is_floating_point():
                            a[k] += (b[k] - a[k]) / n_avg
            live = state
            emitter.load_state_dict(avg_state[0])
            crf.load_state_dict(avg_state[1])
            adev = evaluate(emitter, crf, vocab, devel, gaz_full)
            emitter.load_state_dict(live[0])
            crf.load_state_dict(live[1])
            entry["averaged"] = {k: adev[k] for k in ("precision", "recall", "f1")}
            candidates.append((adev, ({k: v.clone() for k, v in avg_state[0].items()}, {k: v.clone() for k, v in avg_state[1].items()}), "average of epochs 1-%d" % epoch))
        epoch_times.append(time.time() - te)
        history.append(entry)
        print(
            f"epoch {epoch}: loss {total / len(order):.3f} devel P {dev['precision']:.4f} R {dev['recall']:.4f} F1 {dev['f1']:.4f}"
            + (f"; averaged P {adev['precision']:.4f} R {adev['recall']:.4f} F1 {adev['f1']:.4f}" if args.average else "")
            + f" ({epoch_times[-1]:.0f}s)",
            flush=True,
        )
        if args.checkpoint:
            # every epoch, also those after the best, with the run's time so far
            write_json(args.checkpoint + ".history.json", {"history": history, "seconds": round(time.time() - t0)})
        improved = False
        for cdev, cstate, what in candidates:
            if cdev["f1"] > best["f1"]:
                best = {**cdev, "epoch": epoch, "selected": what}
                best_state = cstate
                improved = True
        if improved:
            bad = 0
            if args.checkpoint:
                tmp = args.checkpoint + ".tmp"
                torch.save(
                    {"emitter": best_state[0], "crf": best_state[1], "best": best, "history": history, "warmStart": args.warm_start,
                     "threads": args.threads, "lr": args.lr, "seed": args.seed, "seconds": time.time() - t0},
                    tmp,
                )
                os.replace(tmp, args.checkpoint)
                print(f"checkpoint: {best['selected']} F1 {best['f1']:.4f} -> {args.checkpoint}", flush=True)
        else:
            bad += 1
        elapsed = time.time() - t0
        if bad >= args.patience:
            print("early stop", flush=True)
            break
        if elapsed + max(epoch_times) * 1.2 + 30 > budget:
            print("time budget reached", flush=True)
            break

    assert best_state is not None
    emitter.load_state_dict(best_state[0])
    crf.load_state_dict(best_state[1])
    emitter.eval()
    final = evaluate(emitter, crf, vocab, devel, gaz_full)
    print(f"selected {best.get('selected', 'epoch %d' % best['epoch'])}: devel {final}", flush=True)
    if args.no_write:
        return
    write_artefacts(args, emitter, crf, vocab, gaz_full, train, devel, train_path, devel_path, final, best, history, time.time() - t0)


def build_ensemble(args, vocab, devel, gaz):
    """The members of --ensemble (release folders or --checkpoint files), each scored on devel, and their average."""
    import json

    members, crfs, info = [], [], []
    for src in args.ensemble:
        e = Emitter(len(vocab.words), len(vocab.chars), len(CASE_CLASSES), len(LABELS), hid=args.hidden, dropout=args.dropout)
        c = CRF(len(LABELS))
        if src.endswith(".pt"):
            ck = torch.load(src)
            e.load_state_dict(ck["emitter"])
            c.load_state_dict(ck["crf"])
            desc = {"from": "checkpoint of a run from scratch (--checkpoint)", "seed": ck.get("seed", args.seed), "lr": ck["lr"], "threads": ck["threads"], "selected": ck["best"]["selected"]}
            if os.path.exists(src + ".history.json"):
                with open(src + ".history.json", encoding="utf-8") as f:
                    run = json.load(f)
                desc["epochsRun"], desc["seconds"], desc["history"] = len(run["history"]), run["seconds"], run["history"]
        else:
            sha = load_from_release(e, c, vocab, src)
            rel = release_devel_f1(src)
            desc = {"from": os.path.relpath(os.path.abspath(src), project_root()), "sha256": sha, **({"version": rel["version"]} if rel else {})}
            try:
                with open(os.path.join(src, "metrics.json"), encoding="utf-8") as f:
                    desc["seconds"] = json.load(f)["training"]["seconds"]  # its own training run (not its ancestors')
            except (OSError, KeyError, ValueError):
                pass
        e.eval()
        d = evaluate(e, c, vocab, devel, gaz)
        desc["devel"] = {k: d[k] for k in ("precision", "recall", "f1")}
        print(f"member {src}: devel F1 {d['f1']:.4f}", flush=True)
        members.append(e)
        crfs.append(c)
        info.append(desc)
    crf = CRF(len(LABELS))
    crf.load_state_dict({k: torch.stack([c.state_dict()[k] for c in crfs]).mean(dim=0) for k in ("trans", "start", "end")})
    emitter = EnsembleEmitter(members)
    emitter.eval()
    return emitter, crf, evaluate(emitter, crf, vocab, devel, gaz), info


def release_devel_f1(folder: str):
    """The devel F1 the released model reported with its own gazetteer (its metrics.json), or None."""
    import json

    try:
        with open(os.path.join(folder, "metrics.json"), encoding="utf-8") as f:
            m = json.load(f)
        return {"version": m["version"], "f1": m["devel"]["entity"]["f1"]}
    except (OSError, KeyError, ValueError):
        return None


def check_init(emitter, crf, vocab, folder) -> None:
    import json

    with open(os.path.join(folder, "fixture.json"), encoding="utf-8") as f:
        fx = json.load(f)["sentences"]
    emitter.eval()
    worst = 0.0
    for s in fx:
        W, Ch, K, G, _, _ = pad_batch([(s["wordIds"], s["charIds"], s["caseIds"], s["gazIds"], [0] * len(s["wordIds"]))])
        with torch.no_grad():
            em = emitter(W, Ch, K, G)[0].numpy()
        worst = max(worst, float(np.abs(em - np.array(s["emissions"])).max()))
        assert [LABELS[i] for i in crf.viterbi(em)] == s["tags"], s["text"]
    print(f"warm start reproduces {len(fx)} fixture sentences; max |emission difference| {worst:.2e}", flush=True)


def write_artefacts(args, emitter, crf, vocab, gaz, train, devel, train_path, devel_path, final, best, history, seconds):
    out = args.out
    os.makedirs(out, exist_ok=True)
    vocab_path = os.path.join(out, "vocab.json")
    crf_path = os.path.join(out, "crf.json")
    onnx_path = os.path.join(out, "model.onnx")
    gaz_path = os.path.join(out, "gazetteer.json")
    write_json(gaz_path, {"maxLength": MAX_GAZ_LEN, "match": "greedy longest match of word keys, left to right", "classes": GAZ_CLASSES, "entries": sorted(list(k) for k in gaz)}, compact=True)

    write_json(
        vocab_path,
        {
            "tokeniser": TOKENISER_ID,
            "wordKey": "ascii-lowercase, ASCII digits -> 0",
            "maxCharsPerToken": MAX_CHARS,
            "pad": PAD,
            "unk": UNK,
            "caseClasses": CASE_CLASSES,
            "words": vocab.words,
            "chars": vocab.chars,
        },
        compact=True,
    )
    f32 = lambda a: [float(np.float32(x)) for x in a]  # noqa: E731
    write_json(
        crf_path,
        {
            "labels": LABELS,
            "transitions": [f32(r) for r in crf.trans.detach().numpy()],
            "start": f32(crf.start.detach().numpy()),
            "end": f32(crf.end.detach().numpy()),
        },
    )

    # ONNX export (batch of one; T and C dynamic)
    import onnx

    ex = ["Mutations in the BRCA1 gene cause familial breast cancer ."]
    w, c, k, g = vocab.encode(ex[0].split(), gaz)
    W, Ch, K, G, _, _ = pad_batch([(w, c, k, g, [0] * len(w))])
    torch.onnx.export(
        emitter,
        (W, Ch, K, G),
        onnx_path,
        input_names=["word_ids", "char_ids", "case_ids", "gaz_ids"],
        output_names=["emissions"],
        dynamic_axes={"word_ids": {1: "T"}, "char_ids": {1: "T", 2: "C"}, "case_ids": {1: "T"}, "gaz_ids": {1: "T"}, "emissions": {1: "T"}},
        opset_version=13,
        do_constant_folding=True,
    )
    m = onnx.load(onnx_path)
    onnx.checker.check_model(m)

    # Fixture: devel sentences (detokenised with single spaces) plus hand-written edge cases
    rng = random.Random(7)
    picked = rng.sample(range(len(devel)), 24)
    texts = [" ".join(devel[i][0]) for i in sorted(picked)]
    texts += [
        "Patient has no history of breast cancer, but her mother had ovarian carcinoma.",
        "Naïve β-thalassaemia patients (n=12) – 日本語 😀 showed Duchenne-type muscular dystrophy; DMD/BMD?",
        "HNPCC (hereditary non-polyposis colorectal cancer) & von Willebrand disease\tin 3 kindreds.\r\nAtaxia-telangiectasia.",
        "ÀÉÎõü ΑΒΓ абв Z9z9 __x__ ‘quoted’ “double” 1,2-dichloro…",
    ]
    fixture = []
    for text in texts:
        toks = tokenise(text)
        words = [t for t, _, _ in toks]
        wi, ci, ki, gi = vocab.encode(words, gaz)
        path, em = predict(emitter, crf, vocab, words, gaz)
        tags = [LABELS[i] for i in path]
        ents = [{"startToken": s, "endToken": e} for s, e, _ in sorted(conll_chunks(tags))]
        fixture.append(
            {
                "text": text,
                "tokens": words,
                "wordIds": wi,
                "charIds": ci,
                "caseIds": ki,
                "gazIds": gi,
                "emissions": [[float(x) for x in row] for row in em],
                "tags": tags,
                "entities": ents,
            }
        )
    fixture_path = os.path.join(out, "fixture.json")
    write_json(fixture_path, {"tokeniser": TOKENISER_ID, "modelId": MODEL_ID, "sentences": fixture}, compact=True)

    onnx_sha = sha256_file(onnx_path)
    files = [{"path": rel_to_models(p), "sha256": sha256_file(p)} for p in (vocab_path, crf_path, gaz_path)]
    n_params = sum(p.numel() for p in emitter.parameters()) + sum(p.numel() for p in crf.parameters())
    metrics = {
        "modelId": MODEL_ID,
        "version": VERSION,
        "artefactSha256": onnx_sha,
        "data": {
            "corpus": "NCBI-disease (Dogan et al. 2014), IOB token-per-line via cambridgeltl/MTL-Bioinformatics-2016",
            "licence": "CC BY 4.0",
            "train": {"file": "nlp/ncbi-disease/train.tsv", "sha256": sha256_file(train_path), "sentences": len(train), "tokens": sum(len(t) for t, _ in train), "entities": sum(len(conll_chunks(t)) for _, t in train)},
            "devel": {"file": "nlp/ncbi-disease/devel.tsv", "sha256": sha256_file(devel_path), "sentences": len(devel), "tokens": sum(len(t) for t, _ in devel), "entities": sum(len(conll_chunks(t)) for _, t in devel)},
        },
        "model": {
            "architecture": (
                ("ensemble of %d networks, each: " % len(args.ensemble_info) if args.ensemble_info else "")
                + "word emb 100 + char-CNN (32-d chars, 64 filters, width 3, tanh, max-pool) + case emb 8 + gazetteer emb 8 -> BiLSTM 2x%d -> linear emissions" % args.hidden
                + (" -> their emissions averaged in one graph -> CRF with the members' scores averaged (Viterbi in TS)" if args.ensemble_info else " -> CRF (Viterbi in TS)")
            ),
            "gazetteer": {
                "forms": len(gaz),
                "source": "gold mentions of the training split (5-fold for the training sentences' own features) and the licensed disease dictionary (disease_dictionary.py: ICD-10-CM chapters A-R titles and their head forms, Lantern's clinical vocabulary)",
                "dictionaryNames": args.dictionary_count,
                "maxLength": MAX_GAZ_LEN,
            },
            "augmentation": (
                f"each member's training: entity-name substitution, a share {args.substitute} of the training sentences with mentions added again with every mention replaced by a name from the other folds' mentions or the dictionary"
                if args.ensemble_info
                else f"entity-name substitution: {args.substituted} training sentences added again with every mention replaced by a name from the other folds' mentions or the dictionary (share {args.substitute})"
            ),
            "parameters": int(n_params),
            "vocabulary": {"words": len(vocab.words), "chars": len(vocab.chars)},
            "tokeniser": TOKENISER_ID,
            "wordVectors": "random init, learnt on the training split only (no pretrained vectors)",
        },
        "training": {
            "members": args.ensemble_info,
            "selection": "the ensemble is scored on devel as a whole; its members were each selected on devel by their own runs",
            "seconds": round(sum(mb.get("seconds", 0) for mb in args.ensemble_info)),  # the members' last training runs
            "threads": args.threads,
        }
        if args.ensemble_info
        else {
            "seed": args.seed,
            "optimiser": f"Adam lr {args.lr}, decay 1/(1+0.05 epoch), batch {args.batch}, grad clip 5, dropout {args.dropout}, singleton word dropout 0.5",
            "selection": "epoch with best devel entity F1 (early stopping patience %d)" % args.patience,
            "bestEpoch": best["epoch"],
            "selected": best.get("selected", "epoch %d" % best["epoch"]),
            "epochsRun": len(history),
            "seconds": round(seconds),
            "threads": args.threads,
            "history": history,
            **({"warmStart": args.warm_start} if args.warm_start else {}),
        },
        "devel": {
            "entity": {k: final[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn")},
            "tokenAccuracy": final["tokenAccuracy"],
            "scoring": "conlleval-style exact span match on the corpus tokens (an I- after O opens an entity)",
            "note": "The epoch was chosen on devel, so these figures are slightly optimistic; the held-out test split is kept outside the project's data folder.",
        },
        "references": {"BiLSTM-CRF (published, NCBI test)": 0.85, "BioBERT (published, NCBI test)": 0.89},
    }
    metrics_path = os.path.join(out, "metrics.json")
    write_json(metrics_path, metrics)
    card_path = os.path.join(out, "model-card.md")
    with open(card_path, "w", encoding="utf-8", newline="\n") as f:
        f.write(model_card(metrics, onnx_sha, files))
    update_nlp_manifest(
        {
            "id": MODEL_ID,
            "version": VERSION,
            "kind": "token-classification-onnx-crf",
            "artefact": rel_to_models(onnx_path),
            "sha256": onnx_sha,
            "card": rel_to_models(card_path),
            "files": files,
            "labels": LABELS,
        }
    )
    print("wrote", out, flush=True)


def rewrite_card(out: str) -> None:
    import json

    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        metrics = json.load(f)
    with open(os.path.join(project_root(), "models", "artefacts", "manifest.json"), encoding="utf-8") as f:
        entry = next(m for m in json.load(f)["models"] if m["id"] == MODEL_ID)
    with open(os.path.join(out, "model-card.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(model_card(metrics, entry["sha256"], entry["files"]))


def model_card(m: dict, sha: str, files: list[dict]) -> str:
    d, dv, tr = m["data"], m["devel"]["entity"], m["training"]
    aug = m["model"].get("augmentation")
    augmentation_md = f"\nTraining augmentation: {aug}, so the network learns the contexts diseases are written in rather than only the training names.\n" if aug else ""
    ws = tr.get("warmStart")
    warm_md = (
        f"\nFine-tuned from the released model (`{ws['from']}`, sha256 `{ws['sha256']}`), whose weights were read back from its ONNX graph"
        f" (`--init-from`, checked against its parity fixture); with the new gazetteer and before fine-tuning it scored devel F1 {ws['develAtStart']['f1']:.4f}."
        + (
            (f" The release itself reported devel F1 {ws['develOfRelease']['f1']:.4f} ({ws['develOfRelease']['version']}): this version trades"
             f" {ws['develOfRelease']['f1'] - dv['f1']:.4f} devel F1 for the out-of-corpus gain below."
             if dv["f1"] < ws["develOfRelease"]["f1"]
             else f" The release itself reported devel F1 {ws['develOfRelease']['f1']:.4f} ({ws['develOfRelease']['version']}); this one {dv['f1']:.4f}.")
            + f" {tr['epochsRun']} fine-tuning epoch{'s' if tr['epochsRun'] != 1 else ''} (selected: {tr.get('selected', 'epoch %d' % tr['bestEpoch'])}), {tr['seconds']} s on the shared CPU at nice 10-19."
            if ws.get("develOfRelease") else "")
        + "\n"
        if ws
        else ""
    )
    px = m.get("proxyExternal")
    pv = (px or {}).get("previous")
    prev_md = f"\nThe previous release ({pv['version']}) scored P {pv['precision']:.4f}, R {pv['recall']:.4f}, F1 {pv['f1']:.4f} on the same set.\n" if pv else ""
    proxy_md = (
        f"""## Out-of-corpus check (proxy for another corpus)

`models/runtime/nlp/diseaseNerProxySet.json`: {px['sentences']} sentences with {px['mentions']} disease mentions written and annotated by hand for
Lantern by a documented rule (BC5CDR-like: signs and symptoms named as conditions count; the causing drug is not
part of the span) before any model was run on them: drug adverse effects in the style of BC5CDR abstracts, clinical
note sentences and general-medicine sentences. It is a proxy, not BC5CDR (held back for acceptance). Scored through
the runtime (`node build/models/runtime/nlp/diseaseNerProxyEval.js`), exact character spans:

| precision | recall | F1 | TP | FP | FN |
|---|---|---|---|---|---|
| {px['precision']:.4f} | {px['recall']:.4f} | {px['f1']:.4f} | {px['tp']} | {px['fp']} | {px['fn']} |
{prev_md}
The set took part in the decision to ship this version (scored once, after training, on the network devel had
selected; a version ships only if devel F1 rises and this F1 stays within 0.02 of the previous release's), so it is
no longer an untouched test set.
"""
        if px
        else ""
    )
    averaged = [h for h in tr.get("history", []) if "averaged" in h]
    avg_best = max(averaged, key=lambda h: h["averaged"]["f1"]) if averaged else None
    avg_md = (
        f" After each epoch the uniform average of the weights of epochs 1 to that one competed with the epoch itself"
        f" (best averaged devel F1 {avg_best['averaged']['f1']:.4f}, after epoch {avg_best['epoch']}; per epoch in `metrics.json`)."
        if avg_best
        else ""
    )
    if "members" in tr:
        rows = []
        for i, mb in enumerate(tr["members"], 1):
            what = (
                f"release {mb.get('version', '?')} (its model.onnx, sha256 `{mb['sha256'][:12]}…`; {mb.get('seconds', '?')} s of training in its last run)"
                if "sha256" in mb
                else f"trained from scratch: seed {mb['seed']}, Adam lr {mb['lr']}, {mb.get('epochsRun', '?')} epochs ({mb.get('seconds', '?')} s, {mb['threads']} thread), selected {mb['selected']}"
            )
            rows.append(f"| {i} | {what} | {mb['devel']['precision']:.4f} | {mb['devel']['recall']:.4f} | {mb['devel']['f1']:.4f} |")
        training_md = (
            "No training of its own: the networks below, each selected on devel by its own run, are put in one ONNX graph\n"
            "that averages their emissions; the CRF scores are the members' averaged (a CRF refitted on the training split\n"
            "would see the members' over-confident emissions on sentences they learnt). Members (devel entity scores):\n\n"
            "| member | what | precision | recall | F1 |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
            "Per-epoch devel figures of the members trained here are in `metrics.json` (`training.members`). The ensemble\n"
            "doubles the network's work per sentence (see `npm run bench`, `nlp`)."
        )
    else:
        training_md = (
            f"{tr['optimiser']}; seed {tr['seed']}; {tr.get('threads', 2)} CPU thread{'s' if tr.get('threads', 2) != 1 else ''}; {tr['epochsRun']} epochs run ({tr['seconds']} s); selected by devel entity\n"
            f"F1: {tr.get('selected', 'epoch %d' % tr['bestEpoch'])}.{avg_md}\n{warm_md}"
        )
    files_md = "\n".join(f"- `{x['path']}` sha256 `{x['sha256']}`" for x in files)
    return f"""# Model card: `disease-ner` {m['version']}

Generated by `models/training/nlp/train_disease_ner.py`; do not edit by hand.
Artefact `disease-ner/model.onnx` sha256 `{sha}`. Companion files (verified by the loader before use):
{files_md}

## What it does

Marks disease mentions (one label, `Disease`) in English text. Text is split into sentences, tokenised
(`{m['model']['tokeniser']}`: runs of letters/digits, every other symbol a token of its own — exactly the
NCBI-disease tokenisation), and each token gets `O` / `B-Disease` / `I-Disease` from a
{m['model']['architecture']} ({m['model']['parameters']:,} parameters). The ONNX graph outputs emission scores;
the CRF transition scores are in `crf.json` and the Viterbi decoding runs in TypeScript
(`models/runtime/nlp/diseaseNer.ts`). Each mention then gets an assertion (present / absent / possible / historical /
hypothetical / other experiencer) from the ConText rules (`models/runtime/nlp/contextAlgorithm.ts`).

**Decision support only.** It finds strings that look like disease names; it does not diagnose.

## Data, licence and split

{d['corpus']}. Licence: **{d['licence']}** (the corpus is a US government work; attribution: Doğan RI, Leaman R,
Lu Z. NCBI disease corpus. J Biomed Inform 2014). Trained on `train.tsv` only ({d['train']['sentences']} sentences,
{d['train']['tokens']} tokens, {d['train']['entities']} mentions; sha256 `{d['train']['sha256']}`), epoch selected on
`devel.tsv` ({d['devel']['sentences']} sentences, {d['devel']['entities']} mentions; sha256 `{d['devel']['sha256']}`).
The test split is held out elsewhere for acceptance and was never read. Word vectors: {m['model']['wordVectors']}.
Gazetteer feature (`gazetteer.json`, {m['model']['gazetteer']['forms']} forms), matched greedily (longest first) on word keys:
the gold mentions of the training split (for the training sentences themselves built 5-fold, so the network learns
how far to trust a hit) and {m['model']['gazetteer'].get('dictionaryNames', 0)} names of a licensed disease dictionary
(`models/training/nlp/disease_dictionary.py`): ICD-10-CM titles of chapters A-R and their head forms
(`../shared/data/vocab/icd10cm-categories.csv`, CMS/NCHS, public domain) and the English names and misspellings of
Lantern's clinical vocabulary (abbreviations only from four characters). It is therefore also a list of strings the
model has seen as diseases.
{augmentation_md}

## Training

{training_md}

## Devel metrics (entity level, exact span, conlleval-style)

| precision | recall | F1 | TP | FP | FN |
|---|---|---|---|---|---|
| {dv['precision']:.4f} | {dv['recall']:.4f} | {dv['f1']:.4f} | {dv['tp']} | {dv['fp']} | {dv['fn']} |

Token accuracy {m['devel']['tokenAccuracy']:.4f}. The epoch was chosen on devel, so these figures are slightly optimistic;
the held-out test split is kept outside the project's data folder.
Published reference points (NCBI-disease **test** set, with pretrained biomedical embeddings / language models):
BiLSTM-CRF ≈ 0.85 F1, BioBERT 0.89. These are not measured on the same split and are not directly comparable.
The project's aim was ≥ 0.85 devel F1: **{'met' if dv['f1'] >= 0.85 else 'not met'}** with this training budget
({tr['seconds']} s on a shared 2-core CPU, stopped by the time budget or early stopping); more epochs, pretrained
in-domain word vectors or a transformer would be the next steps.

{proxy_md}
## Scope and abstention

- **Input:** free text of clinical notes and abstracts, sentence by sentence. **Population:** none of its own (it
  reads text, not patients); the ranges of the models that use its findings apply.
- **Language:** English. A sentence written only in Han characters is not given to the network (it never saw one);
  Lantern's clinical vocabulary reads it instead (`models/runtime/nlp/clinicalText.ts`). Mixed sentences are read
  by both.
- **No number to stand behind, so none is shown:** the CRF's Viterbi path is a decision per token, not a
  probability. Mentions carry no confidence, and `lantern ner` prints none.
- **No abstention code of its own:** an empty or unreadable sentence yields no mention. What a mention means
  clinically (present, absent, possible, historical, hypothetical, family) is decided by the ConText rules and
  section headings, never by this model. A finding only enters a case after the clinician accepts it.

## Subgroups and calibration

- **Subgroups:** not measured. Neither NCBI-disease devel nor the proxy set is labelled by note type, specialty
  or patient group.
- **Calibration:** not applicable. The model outputs spans, not probabilities (see above).

## Limits

- Trained on PubMed abstracts (mostly genetic and inherited diseases). Clinical notes use other vocabulary,
  abbreviations and style; expect lower recall there (common symptoms such as "cough" are not diseases in this
  corpus and are handled by the symptom lexicon instead).
- Only the `Disease` type; no normalisation to codes (MeSH/OMIM/ICD).
- English only. Non-Latin scripts are tokenised (one token per symbol) but never recognised.
- Sentences longer than 150 tokens are cut into 150-token windows at runtime.
"""


if __name__ == "__main__":
    main()

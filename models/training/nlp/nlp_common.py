"""Shared helpers for Lantern's NLP training scripts (Python side).

The tokeniser here is mirrored, rule for rule, by models/runtime/nlp/tokenise.ts; both sides are checked against
the fixtures the training scripts write (models/artefacts/disease-ner/fixture.json, models/artefacts/symptom-text/fixture.json).
Keep the two in step: any change here needs the same change there, and a retrain.

Rules (identical in both languages; every class is spelled out so Python `re` and JS /u regexes agree):
  * whitespace: the explicit WS class below (not `\\s`, which differs between the two languages);
  * a *word* is a maximal run of WORD_CHARS: ASCII letters and digits, Latin-1/Latin Extended/IPA letters,
    Greek and Cyrillic;
  * every other non-whitespace code point is a token on its own (punctuation, symbols, CJK, emoji).
This reproduces the NCBI-disease corpus tokenisation exactly (checked by the training script).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Iterable

TOKENISER_ID = "lantern-word-punct/1"

WS = "\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
WORD_CHARS = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u0370-\u03ff\u0400-\u04ff"
TOKEN_RE = re.compile("[" + WORD_CHARS + "]+|[^" + WORD_CHARS + WS + "]")

CASE_CLASSES = ["pad", "lower", "upper", "title", "mixed", "digit", "alnum", "punct"]


def tokenise(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) with code-point offsets into text."""
    return [(m.group(0), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def ascii_lower(s: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)


def word_key(token: str) -> str:
    """Vocabulary key of a token: ASCII-lowercased, every ASCII digit replaced by 0."""
    return "".join("0" if "0" <= c <= "9" else c for c in ascii_lower(token))


def case_class(token: str) -> int:
    """Index into CASE_CLASSES (ASCII-only rules; identical in TS)."""
    has_lower = any("a" <= c <= "z" for c in token)
    has_upper = any("A" <= c <= "Z" for c in token)
    has_digit = any("0" <= c <= "9" for c in token)
    has_alpha = has_lower or has_upper
    if not has_alpha and not has_digit:
        # a non-ASCII letter run (Greek, accented) counts as lower; a symbol as punct
        return 1 if re.fullmatch("[" + WORD_CHARS + "]+", token) else 7
    if has_digit and not has_alpha:
        return 5
    if has_digit:
        return 6
    if has_upper and not has_lower:
        return 2
    if has_lower and not has_upper:
        return 1
    first = token[0]
    if "A" <= first <= "Z" and not any("A" <= c <= "Z" for c in token[1:]):
        return 3
    return 4


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_json(path: str, obj, *, compact: bool = False) -> str:
    """Deterministic JSON (sorted keys, LF, trailing newline). Returns the file's sha256."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if compact:
        text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    else:
        text = json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text + "\n")
    return sha256_file(path)


def project_root() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    d = here
    while not os.path.exists(os.path.join(d, "package.json")):
        parent = os.path.dirname(d)
        if parent == d:
            raise RuntimeError("no package.json above " + here)
        d = parent
    return d


def data_dir() -> str:
    env = os.environ.get("LANTERN_DATA_DIR")
    if env:
        return os.path.abspath(env)
    return os.path.abspath(os.path.join(project_root(), "..", "shared", "data"))


def update_nlp_manifest(entry: dict) -> None:
    """Replaces (or adds) one entry, by id, in the one models/artefacts/manifest.json, keeping every other entry
    (forests, imaging) as it is; written as the TypeScript trainers write it (2-space indent)."""
    path = os.path.join(project_root(), "models", "artefacts", "manifest.json")
    models: list[dict] = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            models = json.load(f).get("models", [])
    old = next((m for m in models if m.get("id") == entry["id"]), None)
    if old is not None:
        # upsert: the given keys change in place; keys the trainer does not write (trainingData, added by hand or by
        # the licence step) stay, and so does the key order, so the diff shows only what changed
        old.update(entry)
    else:
        models.append(entry)
    models.sort(key=lambda m: m["id"])
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps({"models": models}, indent=2, ensure_ascii=False) + "\n")


def rel_to_models(path: str) -> str:
    """A path as the manifest writes it: relative to models/artefacts."""
    return os.path.relpath(path, os.path.join(project_root(), "models", "artefacts")).replace(os.sep, "/")


def read_iob(path: str) -> list[tuple[list[str], list[str]]]:
    sents: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line:
                if toks:
                    sents.append((toks, tags))
                toks, tags = [], []
                continue
            tok, tag = line.split("\t")
            toks.append(tok)
            tags.append(tag)
    if toks:
        sents.append((toks, tags))
    return sents


def conll_chunks(tags: Iterable[str]) -> set[tuple[int, int, str]]:
    """Entity chunks the way conlleval reads IOB: an I- after O (or after another type) opens a chunk."""
    chunks: set[tuple[int, int, str]] = set()
    start = -1
    typ = ""
    tags = list(tags)
    for i, t in enumerate(tags + ["O"]):
        prefix, _, ttype = t.partition("-")
        begins = prefix == "B" or (prefix == "I" and (start < 0 or ttype != typ))
        ends = start >= 0 and (prefix == "O" or begins)
        if ends:
            chunks.add((start, i, typ))
            start = -1
        if begins:
            start, typ = i, ttype
    return chunks


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}

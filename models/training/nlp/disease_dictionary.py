"""Licensed disease-name dictionary for the disease NER: ICD-10-CM titles and Lantern's clinical vocabulary.

Used two ways by train_disease_ner.py: as extra gazetteer entries (a dictionary hit is a feature, so the network
learns how far to trust it) and as the pool of names for entity-name substitution (a training mention is
replaced by another disease name, so the network learns the contexts of diseases rather than their names).

Sources: ../shared/data/vocab/icd10cm-categories.csv (CMS/NCHS, US government, public domain), chapters A-R
(diseases, congenital anomalies, symptoms and signs; injuries and external causes S-Z are left out), and
models/artefacts/nlp/clinicalVocabulary.json (English names, misspellings and UMLS/DDXPlus names; abbreviations only when
at least four characters long, because shorter ones collide with words once lower-cased: "as", "pe", "ra").
"""
from __future__ import annotations

import csv
import json
import os
import re

from nlp_common import data_dir, project_root, tokenise, word_key

ICD_CHAPTERS = tuple("ABCDEFGHIJKLMNOPQR")
MAX_TOKENS = 6  # longer titles are code-book phrases no one writes in text
# Code-book qualifiers that are not part of a disease name as written in text.
_QUALIFIERS = [
    r"^other and unspecified ", r"^other specified ", r"^other ", r"^unspecified ", r"^personal history of ",
    r", unspecified.*$", r", not elsewhere classified.*$", r" NOS$", r", initial encounter.*$",
]
# Where a title goes on to say where or why, the name before it is a name on its own.
_HEAD_SPLITS = [",", " due to ", " with ", " without ", " in ", " of unspecified ", " [", " (", " classified elsewhere"]


# A form still carrying a code-book word after the splits is not a name as written in text.
_CODEBOOK_WORDS = re.compile(r",|\b(other|unspecified|specified|sites?|currently|forms? of|types?|NEC|NOS|part|region|level|encounter|classified|certain|elsewhere|and)\b", re.IGNORECASE)


def _variants(title: str) -> set[str]:
    """Splits and qualifier removals applied until nothing changes; only forms free of code-book words kept."""
    out = {title}
    while True:
        nxt = set(out)
        for t in out:
            for sep in _HEAD_SPLITS:
                if sep in t:
                    nxt.add(t.split(sep, 1)[0].strip())
            for pat in _QUALIFIERS:
                nxt.add(re.sub(pat, "", t, flags=re.IGNORECASE).strip())
        if nxt == out:
            break
        out = nxt
    return {t for t in out if t and not _CODEBOOK_WORDS.search(t)}


def _usable(name: str) -> bool:
    toks = [t for t, _, _ in tokenise(name)]
    return 0 < len(toks) <= MAX_TOKENS and any(c.isalpha() for c in name) and len(name) >= 4


def icd10_names() -> list[str]:
    path = os.path.join(data_dir(), "vocab", "icd10cm-categories.csv")
    names: set[str] = set()
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 2 or not row[0].startswith(ICD_CHAPTERS):
                continue
            names |= {v for v in _variants(row[1]) if _usable(v)}
    # a lone generic word left by the splits ("Other", "Disorders") is not a disease name
    generic = {"disorders", "disorder", "diseases", "disease", "conditions", "abnormal", "complications", "sequelae", "other", "unspecified", "neoplasm", "neoplasms"}
    return sorted(n for n in names if n.lower() not in generic)


def vocabulary_names() -> list[str]:
    path = os.path.join(project_root(), "models", "artefacts", "nlp", "clinicalVocabulary.json")
    with open(path, encoding="utf-8") as f:
        voc = json.load(f)
    names = set()
    for t in voc["terms"]:
        if t["lang"] != "en":
            continue
        if t["kind"] == "abbreviation" and len(t["term"]) < 4:
            continue
        if _usable(t["term"]):
            names.add(t["term"])
    return sorted(names)


def dictionary_names() -> list[str]:
    """Surface forms (original spelling and case), sorted, deterministic."""
    return sorted(set(icd10_names()) | set(vocabulary_names()))


def dictionary_keys(names: list[str]) -> set[tuple[str, ...]]:
    return {tuple(word_key(t) for t, _, _ in tokenise(n)) for n in names}


if __name__ == "__main__":
    n = dictionary_names()
    print(len(icd10_names()), "ICD-10-CM forms,", len(vocabulary_names()), "vocabulary forms,", len(n), "in all")
    import random

    for x in random.Random(3).sample(n, 40):
        print(" ", x)

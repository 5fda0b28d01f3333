#!/usr/bin/python3
"""Builds models/artefacts/nlp/symptomLexicon.json: note phrases -> symptom-differential input features.

    /usr/bin/python3 -B models/training/nlp/build_symptom_lexicon.py

Inputs:
  models/artefacts/manifest.json (read only)          the 131 `symptom-differential` inputs (feature names, kept verbatim,
                                            including their odd spellings such as "spotting_ urination")
  models/training/nlp/symptom_synonyms.json the hand-curated table (synonyms, negation / implication rules,
                                            Columbia and DDXPlus mappings)
  ../shared/data/knowledge/columbia-disease-symptom/dataset_uncleaned.csv   (symptom surface forms, UMLS names)
  ../shared/data/knowledge/ddxplus/release_evidences.json                    (pain locations, evidence E_55)

Terms come from: the feature name itself ("chest_pain" -> "chest pain"), the curated synonyms, every alternative
name of a mapped Columbia symptom entry, and pain templates over DDXPlus locations. Entries with the same term
are merged (union of features). Matching (stemming, ignored words) happens in models/runtime/nlp/symptomLexicon.ts, on
both the terms and the text, so this file keeps terms as written.
"""
from __future__ import annotations

import csv
import json
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from nlp_common import data_dir, project_root, rel_to_models, sha256_file, update_nlp_manifest, write_json  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CATEGORIES = {"NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "HYPOTHETICAL", "FAMILY"}


def norm_term(t: str) -> str:
    return re.sub(r"\s+", " ", t.strip().lower())


def feature_name_term(f: str) -> str:
    return norm_term(re.sub(r"[_()]", " ", f))


def main() -> None:
    root = project_root()
    with open(os.path.join(root, "models", "artefacts", "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    entry = next((m for m in manifest["models"] if m["id"] == "symptom-differential"), None)
    if entry is None:
        raise SystemExit("models/artefacts/manifest.json has no symptom-differential entry")
    # inputs are names (strings); accept {"name": ...} objects too, should the manifest move to input specs
    features: list[str] = [i if isinstance(i, str) else i["name"] for i in entry["inputs"]]
    fset = set(features)

    syn_path = os.path.join(HERE, "symptom_synonyms.json")
    with open(syn_path, encoding="utf-8") as f:
        cur = json.load(f)

    terms: dict[str, dict] = {}

    def add(term: str, feats: list[str], source: str) -> None:
        t = norm_term(term)
        if not t:
            return
        for ft in feats:
            if ft not in fset:
                raise SystemExit(f"{source}: unknown feature {ft!r} for term {term!r}")
        e = terms.setdefault(t, {"term": t, "features": [], "sources": []})
        for ft in feats:
            if ft not in e["features"]:
                e["features"].append(ft)
        if source not in e["sources"]:
            e["sources"].append(source)

    for ft in features:
        add(feature_name_term(ft), [ft], "feature-name")
    for ft, syns in cur["synonyms"].items():
        if ft not in fset:
            raise SystemExit(f"synonyms: unknown feature {ft!r}")
        for s in syns:
            add(s, [ft], "curated")
    for t, feats in cur["alsoPresent"]["terms"].items():
        add(t, feats, "curated")

    # Columbia: map a UMLS symptom name to a feature; add every alternative name of that entry.
    col_path = os.path.join(data_dir(), "knowledge", "columbia-disease-symptom", "dataset_uncleaned.csv")
    groups: list[list[str]] = []
    with open(col_path, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 3 or not row[2].startswith("UMLS:"):
                continue
            names = [norm_term(part.split("_", 1)[1]) for part in row[2].split("^") if "_" in part]
            if names and names not in groups:
                groups.append(names)
    col_used = 0
    for name, ft in cur["columbia"]["map"].items():
        hits = [g for g in groups if norm_term(name) in g]
        if not hits:
            raise SystemExit(f"columbia: {name!r} is not a symptom name in {col_path}")
        for g in hits:
            for alt in g:
                add(alt, [ft], "columbia")
        col_used += 1

    # DDXPlus pain locations (E_55), side marks removed.
    ev_path = os.path.join(data_dir(), "knowledge", "ddxplus", "release_evidences.json")
    with open(ev_path, encoding="utf-8") as f:
        ev = json.load(f)
    locations = {norm_term(re.sub(r"\((R|L)\)$", "", v["en"])) for v in ev["E_55"]["value_meaning"].values()}
    for loc, ft in cur["ddxplusPainLocations"]["map"].items():
        if norm_term(loc) not in locations:
            raise SystemExit(f"ddxplus: {loc!r} is not an E_55 location")
        for tmpl in ("{} pain", "pain in {}", "{} ache", "sore {}", "painful {}"):
            add(tmpl.format(loc), [ft], "ddxplus-location")

    for t, feats in cur["whenNegated"]["terms"].items():
        e = terms.get(norm_term(t))
        if e is None:
            raise SystemExit(f"whenNegated: {t!r} is not a term")
        for ft in feats:
            if ft not in fset:
                raise SystemExit(f"whenNegated: unknown feature {ft!r}")
        e["whenNegated"] = feats
    for t, feats in cur["impliesAbsent"]["terms"].items():
        e = terms.setdefault(norm_term(t), {"term": norm_term(t), "features": [], "sources": ["curated"]})
        for ft in feats:
            if ft not in fset:
                raise SystemExit(f"impliesAbsent: unknown feature {ft!r}")
        e["impliesAbsent"] = feats
    ignore = cur["ignoreCategories"]["features"]
    for ft, cats in ignore.items():
        if ft not in fset or not set(cats) <= CATEGORIES:
            raise SystemExit(f"ignoreCategories: bad entry {ft}: {cats}")

    multi = {t: e["features"] for t, e in terms.items() if len(e["features"]) > 1}
    entries = sorted(terms.values(), key=lambda e: e["term"])
    covered = {ft for e in entries for ft in e["features"]}
    missing = [ft for ft in features if ft not in covered]
    if missing:
        raise SystemExit(f"features without any term: {missing}")

    out_path = os.path.join(root, "models", "artefacts", "nlp", "symptomLexicon.json")
    sha = write_json(
        out_path,
        {
            "format": "lantern-symptom-lexicon/1",
            "generatedBy": "models/training/nlp/build_symptom_lexicon.py",
            "model": "symptom-differential",
            "features": features,
            "ignoreCategories": ignore,
            "sources": [
                {"id": "feature-name", "what": "the feature names of models/artefacts/manifest.json (symptom-differential inputs)"},
                {"id": "curated", "file": "models/training/nlp/symptom_synonyms.json", "sha256": sha256_file(syn_path)},
                {"id": "columbia", "file": "knowledge/columbia-disease-symptom/dataset_uncleaned.csv", "sha256": sha256_file(col_path), "mapped": col_used, "licence": "none stated (Wang et al. 2008)"},
                {"id": "ddxplus-location", "file": "knowledge/ddxplus/release_evidences.json", "sha256": sha256_file(ev_path), "licence": "CC BY (per paper)"},
            ],
            "entries": entries,
        },
    )
    update_nlp_manifest(
        {
            "id": "symptom-lexicon",
            "version": "1.0.0",
            "kind": "lexicon",
            "artefact": rel_to_models(out_path),
            "sha256": sha,
            "card": "nlp/README.md",
            "files": [],
            "labels": features,
        }
    )
    print(f"wrote {out_path}: {len(entries)} terms for {len(features)} features ({len(multi)} multi-feature terms), sha256 {sha}")
    for t, fs in sorted(multi.items()):
        print(f"  multi: {t!r} -> {fs}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Builds models/artefacts/nlp/clinicalVocabulary.json (the clinical vocabulary matched by models/runtime/nlp/clinicalVocabulary.ts).

    /usr/bin/python3 -B models/training/nlp/build_clinical_vocabulary.py

Inputs:
  models/training/nlp/clinical_concepts.json       hand-written Lantern table (synonyms, abbreviations, misspellings,
                                                   Simplified Chinese terms, feature / DDXPlus / ICD-10 mappings)
  models/artefacts/nlp/symptomLexicon.json                   the symptom-differential feature names (validation)
  ../shared/data/knowledge/ddxplus/release_evidences.json    DDXPlus evidence codes (validation; CC BY 4.0)
  ../shared/data/knowledge/ddxplus/release_conditions.json   DDXPlus condition names + ICD-10 (added as disease
                                                             names of the concept naming them; CC BY 4.0)
  ../shared/data/knowledge/columbia-disease-symptom/dataset_uncleaned.csv   UMLS disease names (added for the
                                                   concepts that list their CUI; licence none stated)
  ../shared/data/vocab/icd10cm-categories.csv      ICD-10-CM categories (validation; public domain)

Every code is validated; an unknown feature, evidence, condition, CUI or ICD-10 category stops the build.
A surface term claimed by two concepts of the same label stops the build too (the matcher needs one answer).
Deterministic: same inputs, same bytes.
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
LABELS = {"Disease", "Symptom"}
CJK = re.compile(r"[\u3400-\u9fff]")
# Codes newer than the categories file (it predates 2020); title from the WHO emergency code release.
ICD10_NOT_IN_CSV = {"U071": "COVID-19, virus identified"}


def norm(t: str) -> str:
    return re.sub(r"\s+", " ", t.strip().lower())


def main() -> None:
    root = project_root()
    table_path = os.path.join(HERE, "clinical_concepts.json")
    with open(table_path, encoding="utf-8") as f:
        table = json.load(f)
    with open(os.path.join(root, "models", "artefacts", "nlp", "symptomLexicon.json"), encoding="utf-8") as f:
        features = set(json.load(f)["features"])
    kdir = os.path.join(data_dir(), "knowledge")
    ev_path = os.path.join(kdir, "ddxplus", "release_evidences.json")
    cond_path = os.path.join(kdir, "ddxplus", "release_conditions.json")
    col_path = os.path.join(kdir, "columbia-disease-symptom", "dataset_uncleaned.csv")
    icd_path = os.path.join(data_dir(), "vocab", "icd10cm-categories.csv")
    with open(ev_path, encoding="utf-8") as f:
        evidences = json.load(f)
    with open(cond_path, encoding="utf-8") as f:
        conditions = json.load(f)
    with open(icd_path, encoding="utf-8") as f:
        icd = {row[0].strip().upper(): row[1] for row in csv.reader(f) if row}
    icd.update(ICD10_NOT_IN_CSV)
    cui_names: dict[str, list[str]] = {}
    with open(col_path, encoding="utf-8-sig") as f:
        for row in csv.reader(f):
            if not row or not row[0].startswith("UMLS:"):
                continue
            for part in row[0].split("^"):
                m = re.match(r"UMLS:(C\d+)_(.+)", part.strip())
                if m:
                    cui_names.setdefault(m.group(1), []).append(m.group(2).strip())

    concepts = []
    terms: list[dict] = []
    owner: dict[tuple[str, str, bool], str] = {}

    def add(term: str, cid: str, label: str, lang: str, kind: str, case_sensitive: bool = False) -> None:
        t = term.strip()
        key = (label, t if case_sensitive else norm(t), case_sensitive)
        if key in owner:
            if owner[key] != cid:
                raise SystemExit(f"term {t!r} claimed by {owner[key]} and {cid}")
            return
        owner[key] = cid
        rec = {"term": t, "concept": cid, "lang": lang, "kind": kind}
        if case_sensitive:
            rec["caseSensitive"] = True
        terms.append(rec)

    seen_ids = set()
    for c in table["concepts"]:
        cid, label = c["id"], c["label"]
        if cid in seen_ids or label not in LABELS:
            raise SystemExit(f"bad concept {cid}")
        seen_ids.add(cid)
        for ft in c.get("features", []) + c.get("whenNegated", []):
            if ft not in features:
                raise SystemExit(f"{cid}: unknown feature {ft}")
        for e in c.get("ddxplus", []):
            if e not in evidences:
                raise SystemExit(f"{cid}: unknown DDXPlus evidence {e}")
        icd10 = []
        for code in c.get("icd10", []):
            if code.replace(".", "").upper() not in icd:
                raise SystemExit(f"{cid}: ICD-10 {code} not in icd10cm-categories.csv")
            icd10.append({"code": code, "title": icd[code.replace(".", "").upper()]})
        cond = c.get("ddxplusCondition")
        if cond is not None and cond not in conditions:
            raise SystemExit(f"{cid}: unknown DDXPlus condition {cond}")
        out = {"id": cid, "label": label}
        if c.get("features"):
            out["features"] = c["features"]
        if c.get("whenNegated"):
            out["whenNegated"] = c["whenNegated"]
        if c.get("ddxplus"):
            out["ddxplus"] = c["ddxplus"]
        if icd10:
            out["icd10"] = icd10
        if cond is not None:
            out["ddxplusCondition"] = cond
        concepts.append(out)
        for t in c.get("en", []):
            add(t, cid, label, "en", "name")
        for t in c.get("abbr", []):
            add(t, cid, label, "en", "abbreviation")
        for t in c.get("abbrCase", []):
            add(t, cid, label, "en", "abbreviation", case_sensitive=True)
        for t in c.get("misspelt", []):
            add(t, cid, label, "en", "misspelling")
        for t in c.get("zh", []):
            if not CJK.search(t):
                raise SystemExit(f"{cid}: zh term {t!r} has no Chinese character")
            add(t, cid, label, "zh", "name")
        if cond is not None:
            # DDXPlus English condition names ("Acute COPD exacerbation / infection" stays a whole phrase)
            add(conditions[cond]["cond-name-eng"], cid, label, "en", "ddxplus-condition")
        for cui in c.get("umls", []):
            if cui not in cui_names:
                raise SystemExit(f"{cid}: CUI {cui} not in the Columbia file")
            for name in cui_names[cui]:
                if "(" not in name:  # "sepsis (invertebrate)" is not a clinical term
                    add(name, cid, label, "en", "umls-name")

    terms.sort(key=lambda r: (r["concept"], r["lang"], r["kind"], r["term"]))
    out_path = os.path.join(root, "models", "artefacts", "nlp", "clinicalVocabulary.json")
    sha = write_json(
        out_path,
        {
            "format": "lantern-clinical-vocabulary/1",
            "generatedBy": "models/training/nlp/build_clinical_vocabulary.py",
            "sources": [
                {"id": "lantern", "file": "models/training/nlp/clinical_concepts.json", "sha256": sha256_file(table_path), "licence": "project"},
                {"id": "ddxplus", "file": "knowledge/ddxplus/release_conditions.json", "sha256": sha256_file(cond_path), "licence": "CC BY 4.0"},
                {"id": "ddxplus-evidences", "file": "knowledge/ddxplus/release_evidences.json", "sha256": sha256_file(ev_path), "licence": "CC BY 4.0"},
                {"id": "columbia", "file": "knowledge/columbia-disease-symptom/dataset_uncleaned.csv", "sha256": sha256_file(col_path), "licence": "none stated"},
                {"id": "icd10cm", "file": "vocab/icd10cm-categories.csv", "sha256": sha256_file(icd_path), "licence": "public domain (US government)"},
            ],
            "concepts": concepts,
            "terms": terms,
        },
    )
    update_nlp_manifest(
        {
            "id": "clinical-vocabulary",
            "version": "1.1.0",
            "kind": "lexicon",
            "artefact": rel_to_models(out_path),
            "sha256": sha,
            "card": "nlp/README.md",
            "files": [],
            "labels": sorted(LABELS),
        }
    )
    by_kind: dict[str, int] = {}
    for t in terms:
        by_kind[f"{t['lang']}/{t['kind']}"] = by_kind.get(f"{t['lang']}/{t['kind']}", 0) + 1
    print(f"wrote {out_path}: {len(concepts)} concepts, {len(terms)} terms {by_kind}, sha256 {sha}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Builds models/artefacts/nlp/contextRules.json (the ConText modifier rules used by models/runtime/nlp/contextAlgorithm.ts).

    /usr/bin/python3 -B models/training/nlp/build_context_rules.py

Sources (read from ../shared/data/nlp/negation, or $LANTERN_DATA_DIR; never copied into the repo):
  medspacy/en_context_rules.json                     medspaCy English ConText rules (MIT)
  negex/negex.python_negex_triggers.txt              NegEx triggers, Peter Kang's negex.py list (Apache-2.0)
  negex/genConText_history_triggers.txt              GenConText history triggers
  negex/genConText_hypothetical_triggers.txt         GenConText hypothetical triggers
  negex/genConText_experiencer_triggers.txt          GenConText experiencer triggers
plus a short list of Lantern additions (LANTERN_RULES below, each marked source "lantern") and one direction
override (LANTERN_DIRECTION_OVERRIDES).

Mapping (category, direction):
  medspaCy rules keep theirs (NEGATED_EXISTENCE, POSSIBLE_EXISTENCE, HISTORICAL, HYPOTHETICAL, FAMILY;
  FORWARD / BACKWARD / BIDIRECTIONAL / TERMINATE / PSEUDO).
  NegEx tags: [PREN] -> NEGATED_EXISTENCE FORWARD, [POST] -> NEGATED_EXISTENCE BACKWARD,
              [PREP] -> POSSIBLE_EXISTENCE FORWARD, [POSP] -> POSSIBLE_EXISTENCE BACKWARD,
              [PSEU] -> NEGATED_EXISTENCE PSEUDO, [CONJ] -> NEGATED_EXISTENCE TERMINATE.
  GenConText files: [PREN] -> <file category> FORWARD, [POST] -> BACKWARD, [PSEU] -> PSEUDO,
              [CONJ] -> TERMINATE, [ONEW] ("one word trigger") -> FORWARD with maxScope 1 (the target must
              start at the next token), where <file category> is HISTORICAL / HYPOTHETICAL / FAMILY.

Every rule is expanded into the literal token sequences it matches (spaCy token patterns: LOWER string or
{"IN": [...]}, OP "?"), tokenised with the project tokeniser (lantern-word-punct/1) and ASCII-lowercased, so the
TypeScript matcher is a plain trie. Contractions: the pattern value "n't" becomes "not"; the TS side rewrites
"didn't" -> "did not" before matching. Values containing spaces (e.g. "risks of") become multi-token
sequences (spaCy itself could never match them as one token).
"""
from __future__ import annotations

import itertools
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from nlp_common import TOKENISER_ID, ascii_lower, data_dir, project_root, rel_to_models, sha256_file, tokenise, update_nlp_manifest, write_json  # noqa: E402

CATEGORY_TO_ASSERTION = {
    "NEGATED_EXISTENCE": "absent",
    "POSSIBLE_EXISTENCE": "possible",
    "HISTORICAL": "historical",
    "HYPOTHETICAL": "hypothetical",
    "FAMILY": "family",
}
DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"}

NEGEX_TAGS = {
    "[PREN]": ("NEGATED_EXISTENCE", "FORWARD"),
    "[POST]": ("NEGATED_EXISTENCE", "BACKWARD"),
    "[PREP]": ("POSSIBLE_EXISTENCE", "FORWARD"),
    "[POSP]": ("POSSIBLE_EXISTENCE", "BACKWARD"),
    "[PSEU]": ("NEGATED_EXISTENCE", "PSEUDO"),
    "[CONJ]": ("NEGATED_EXISTENCE", "TERMINATE"),
}
GENCONTEXT_TAGS = {"[PREN]": "FORWARD", "[POST]": "BACKWARD", "[PSEU]": "PSEUDO", "[CONJ]": "TERMINATE", "[ONEW]": "FORWARD"}
GENCONTEXT_FILES = [
    ("genConText_history_triggers.txt", "HISTORICAL", "gencontext-history"),
    ("genConText_hypothetical_triggers.txt", "HYPOTHETICAL", "gencontext-hypothetical"),
    ("genConText_experiencer_triggers.txt", "FAMILY", "gencontext-experiencer"),
]

# Hand-written additions, kept short; each is a common clinical-note phrasing missing from the lists above.
# (literal, category, direction)
LANTERN_RULES = [
    ("absent", "NEGATED_EXISTENCE", "BACKWARD"),  # "pulses absent"
    ("nor", "NEGATED_EXISTENCE", "FORWARD"),
    ("neither", "NEGATED_EXISTENCE", "FORWARD"),
    ("no longer", "NEGATED_EXISTENCE", "FORWARD"),
    ("negative", "NEGATED_EXISTENCE", "BACKWARD"),  # "blood cultures negative"
    ("not present", "NEGATED_EXISTENCE", "BACKWARD"),
    ("not seen", "NEGATED_EXISTENCE", "BACKWARD"),
    ("does not have", "NEGATED_EXISTENCE", "FORWARD"),
    ("do not have", "NEGATED_EXISTENCE", "FORWARD"),
    ("without any", "NEGATED_EXISTENCE", "FORWARD"),
    ("cannot rule out", "POSSIBLE_EXISTENCE", "FORWARD"),  # longer than NegEx "cannot" (negation)
    ("cannot exclude", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("cannot be excluded", "POSSIBLE_EXISTENCE", "BACKWARD"),
    ("cannot be ruled out", "POSSIBLE_EXISTENCE", "BACKWARD"),
    ("suspected", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("suspect", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("suspicion of", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("concern for", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("probable", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("questionable", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("differential includes", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("is suspected", "POSSIBLE_EXISTENCE", "BACKWARD"),
    ("pmh", "HISTORICAL", "FORWARD"),
    ("pmhx", "HISTORICAL", "FORWARD"),
    ("past medical history", "HISTORICAL", "FORWARD"),
    ("previous", "HISTORICAL", "FORWARD"),
    ("previously", "HISTORICAL", "FORWARD"),
    ("years ago", "HISTORICAL", "BACKWARD"),
    ("months ago", "HISTORICAL", "BACKWARD"),
    ("as a child", "HISTORICAL", "BACKWARD"),
    ("in the past", "HISTORICAL", "BACKWARD"),
    ("last year", "HISTORICAL", "BACKWARD"),
    # past treatment: "was treated for TB" (not "is being treated for", which is current)
    ("was treated for", "HISTORICAL", "FORWARD"),
    ("were treated for", "HISTORICAL", "FORWARD"),
    ("had been treated for", "HISTORICAL", "FORWARD"),
    ("previously treated for", "HISTORICAL", "FORWARD"),
    ("completed treatment for", "HISTORICAL", "FORWARD"),
    ("completed treatment of", "HISTORICAL", "FORWARD"),
    ("watch for", "HYPOTHETICAL", "FORWARD"),
    ("monitor for", "HYPOTHETICAL", "FORWARD"),
    ("in case of", "HYPOTHETICAL", "FORWARD"),
    ("unless", "HYPOTHETICAL", "FORWARD"),
    ("fhx", "FAMILY", "FORWARD"),
    ("family hx", "FAMILY", "FORWARD"),
    ("fh", "FAMILY", "FORWARD"),
    ("positive", "NEGATED_EXISTENCE", "TERMINATE"),  # "negative for malaria, positive for dengue"
    ("excluded", "NEGATED_EXISTENCE", "BACKWARD"),  # "tuberculosis was excluded"
    ("resolved", "NEGATED_EXISTENCE", "BACKWARD"),  # "the rash has resolved" (the sources only have it FORWARD)
    ("not certain whether", "POSSIBLE_EXISTENCE", "FORWARD"),  # NegEx lists these only as negation pseudo-triggers
    ("not certain if", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("not sure if", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("not sure whether", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("uncertain whether", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("uncertain if", "POSSIBLE_EXISTENCE", "FORWARD"),
    # "no longer" before the clause cue "has"/"reports" (the cue would end the scope at once)
    ("no longer has", "NEGATED_EXISTENCE", "FORWARD"),
    ("no longer have", "NEGATED_EXISTENCE", "FORWARD"),
    ("no longer had", "NEGATED_EXISTENCE", "FORWARD"),
    ("no longer reports", "NEGATED_EXISTENCE", "FORWARD"),
    ("no longer complains of", "NEGATED_EXISTENCE", "FORWARD"),
    ("no longer experiencing", "NEGATED_EXISTENCE", "FORWARD"),
    ("is no longer", "NEGATED_EXISTENCE", "BACKWARD"),  # "the rash is no longer present"
    ("has resolved", "NEGATED_EXISTENCE", "BACKWARD"),
    ("have resolved", "NEGATED_EXISTENCE", "BACKWARD"),
    ("resolved", "NEGATED_EXISTENCE", "BACKWARD"),
    ("resolution of", "NEGATED_EXISTENCE", "FORWARD"),
    ("subsided", "NEGATED_EXISTENCE", "BACKWARD"),
    ("has subsided", "NEGATED_EXISTENCE", "BACKWARD"),
    ("ruled out", "NEGATED_EXISTENCE", "BACKWARD"),  # "PE ruled out" (the sources have "was/been ruled out")
    ("unlikely to be", "NEGATED_EXISTENCE", "FORWARD"),
    ("suspected", "POSSIBLE_EXISTENCE", "BACKWARD"),  # "COPD suspected"
    # possibility phrasings of work-ups ("evaluate for" is negation in medspaCy; see LANTERN_CATEGORY_OVERRIDES)
    ("to evaluate for", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("assess for", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("work up for", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("workup for", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("worrisome for", "POSSIBLE_EXISTENCE", "FORWARD"),
    # the reasons for a work-up are findings, not possibilities ("evaluate for TB given weight loss")
    ("given", "POSSIBLE_EXISTENCE", "TERMINATE"),
    ("in view of", "POSSIBLE_EXISTENCE", "TERMINATE"),
    ("in light of", "POSSIBLE_EXISTENCE", "TERMINATE"),
    ("in the setting of", "POSSIBLE_EXISTENCE", "TERMINATE"),
    ("ddx", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("query", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("?", "POSSIBLE_EXISTENCE", "FORWARD"),  # "? pneumonia" (a question mark opens the sentence's scope)
    # a templated question answered on the spot: "Fever? No." is a denial, "Cough? Yes." a finding
    ("? no", "NEGATED_EXISTENCE", "BACKWARD"),
    ("? none", "NEGATED_EXISTENCE", "BACKWARD"),
    ("? negative", "NEGATED_EXISTENCE", "BACKWARD"),
    ("? neg", "NEGATED_EXISTENCE", "BACKWARD"),
    ("? yes", "POSSIBLE_EXISTENCE", "PSEUDO"),
    ("? positive", "POSSIBLE_EXISTENCE", "PSEUDO"),
    # hypotheticals
    ("should he develop", "HYPOTHETICAL", "FORWARD"),
    ("should she develop", "HYPOTHETICAL", "FORWARD"),
    ("should they develop", "HYPOTHETICAL", "FORWARD"),
    ("should the patient develop", "HYPOTHETICAL", "FORWARD"),
    ("return if", "HYPOTHETICAL", "FORWARD"),
    ("call if", "HYPOTHETICAL", "FORWARD"),
    ("seek care if", "HYPOTHETICAL", "FORWARD"),
    ("in the event of", "HYPOTHETICAL", "FORWARD"),
    ("red flags", "HYPOTHETICAL", "FORWARD"),
    ("warning signs", "HYPOTHETICAL", "FORWARD"),
]

# Simplified Chinese triggers (one token per Han character, so each is a character sequence). Written for Lantern.
LANTERN_ZH_RULES = [
    # negation
    ("否认", "NEGATED_EXISTENCE", "FORWARD"),
    ("否认有", "NEGATED_EXISTENCE", "FORWARD"),
    ("无", "NEGATED_EXISTENCE", "FORWARD"),
    ("无明显", "NEGATED_EXISTENCE", "FORWARD"),
    ("无任何", "NEGATED_EXISTENCE", "FORWARD"),
    ("未", "NEGATED_EXISTENCE", "FORWARD"),
    ("未见", "NEGATED_EXISTENCE", "FORWARD"),
    ("未见明显", "NEGATED_EXISTENCE", "FORWARD"),
    ("未诉", "NEGATED_EXISTENCE", "FORWARD"),
    ("未闻及", "NEGATED_EXISTENCE", "FORWARD"),
    ("未触及", "NEGATED_EXISTENCE", "FORWARD"),
    ("未及", "NEGATED_EXISTENCE", "FORWARD"),
    ("未出现", "NEGATED_EXISTENCE", "FORWARD"),
    ("未再", "NEGATED_EXISTENCE", "FORWARD"),
    ("不伴", "NEGATED_EXISTENCE", "FORWARD"),
    ("不伴有", "NEGATED_EXISTENCE", "FORWARD"),
    ("没有", "NEGATED_EXISTENCE", "FORWARD"),
    ("没", "NEGATED_EXISTENCE", "FORWARD"),
    ("不", "NEGATED_EXISTENCE", "FORWARD"),
    ("排除", "NEGATED_EXISTENCE", "FORWARD"),
    ("已排除", "NEGATED_EXISTENCE", "BIDIRECTIONAL"),
    ("已除外", "NEGATED_EXISTENCE", "BIDIRECTIONAL"),
    ("阴性", "NEGATED_EXISTENCE", "BACKWARD"),
    ("（-）", "NEGATED_EXISTENCE", "BACKWARD"),
    ("(-)", "NEGATED_EXISTENCE", "BACKWARD"),
    ("不明显", "NEGATED_EXISTENCE", "BACKWARD"),
    ("未见异常", "NEGATED_EXISTENCE", "BACKWARD"),
    # resolution: negated now, asserted historical (see ASSERT_AS_HISTORICAL)
    ("已缓解", "NEGATED_EXISTENCE", "BACKWARD"),
    ("缓解", "NEGATED_EXISTENCE", "BACKWARD"),
    ("已消失", "NEGATED_EXISTENCE", "BACKWARD"),
    ("消失", "NEGATED_EXISTENCE", "BACKWARD"),
    ("已愈", "NEGATED_EXISTENCE", "BACKWARD"),
    ("痊愈", "NEGATED_EXISTENCE", "BACKWARD"),
    ("治愈", "NEGATED_EXISTENCE", "BACKWARD"),
    ("已好转", "NEGATED_EXISTENCE", "BACKWARD"),
    # possibility
    ("可能", "POSSIBLE_EXISTENCE", "BIDIRECTIONAL"),
    ("考虑", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("疑似", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("疑为", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("怀疑", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("可疑", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("待排", "POSSIBLE_EXISTENCE", "BIDIRECTIONAL"),
    ("待排除", "POSSIBLE_EXISTENCE", "BIDIRECTIONAL"),
    ("待查", "POSSIBLE_EXISTENCE", "BACKWARD"),
    ("不除外", "POSSIBLE_EXISTENCE", "BIDIRECTIONAL"),
    ("不排除", "POSSIBLE_EXISTENCE", "BIDIRECTIONAL"),
    ("除外", "POSSIBLE_EXISTENCE", "FORWARD"),  # "需除外肺栓塞" = rule out
    ("需排除", "POSSIBLE_EXISTENCE", "FORWARD"),
    ("？", "POSSIBLE_EXISTENCE", "BACKWARD"),
    ("？无", "NEGATED_EXISTENCE", "BACKWARD"),  # "发热？无。" answered on the spot
    ("？否", "NEGATED_EXISTENCE", "BACKWARD"),
    ("？有", "POSSIBLE_EXISTENCE", "PSEUDO"),
    ("拟诊", "POSSIBLE_EXISTENCE", "FORWARD"),
    # history
    ("既往", "HISTORICAL", "FORWARD"),
    ("既往有", "HISTORICAL", "FORWARD"),
    ("曾", "HISTORICAL", "FORWARD"),
    ("曾患", "HISTORICAL", "FORWARD"),
    ("曾有", "HISTORICAL", "FORWARD"),
    ("曾因", "HISTORICAL", "FORWARD"),
    ("病史", "HISTORICAL", "BACKWARD"),
    ("史", "HISTORICAL", "BACKWARD"),
    ("年前", "HISTORICAL", "BACKWARD"),
    # hypothetical
    ("如出现", "HYPOTHETICAL", "FORWARD"),
    ("若出现", "HYPOTHETICAL", "FORWARD"),
    ("如有", "HYPOTHETICAL", "FORWARD"),
    ("若有", "HYPOTHETICAL", "FORWARD"),
    ("如", "HYPOTHETICAL", "FORWARD"),
    ("若", "HYPOTHETICAL", "FORWARD"),
    ("如果", "HYPOTHETICAL", "FORWARD"),
    ("一旦", "HYPOTHETICAL", "FORWARD"),
    ("一旦出现", "HYPOTHETICAL", "FORWARD"),
    ("警惕", "HYPOTHETICAL", "FORWARD"),
    ("以防", "HYPOTHETICAL", "FORWARD"),
    # family
    ("母亲", "FAMILY", "FORWARD"),
    ("父亲", "FAMILY", "FORWARD"),
    ("其母", "FAMILY", "FORWARD"),
    ("其父", "FAMILY", "FORWARD"),
    ("父母", "FAMILY", "FORWARD"),
    ("兄弟", "FAMILY", "FORWARD"),
    ("姐妹", "FAMILY", "FORWARD"),
    ("哥哥", "FAMILY", "FORWARD"),
    ("姐姐", "FAMILY", "FORWARD"),
    ("弟弟", "FAMILY", "FORWARD"),
    ("妹妹", "FAMILY", "FORWARD"),
    ("儿子", "FAMILY", "FORWARD"),
    ("女儿", "FAMILY", "FORWARD"),
    ("祖父", "FAMILY", "FORWARD"),
    ("祖母", "FAMILY", "FORWARD"),
    ("外祖父", "FAMILY", "FORWARD"),
    ("外婆", "FAMILY", "FORWARD"),
    ("外公", "FAMILY", "FORWARD"),
    ("姥姥", "FAMILY", "FORWARD"),
    ("姥爷", "FAMILY", "FORWARD"),
    ("奶奶", "FAMILY", "FORWARD"),
    ("爷爷", "FAMILY", "FORWARD"),
    ("舅舅", "FAMILY", "FORWARD"),
    ("姑姑", "FAMILY", "FORWARD"),
    ("叔叔", "FAMILY", "FORWARD"),
    ("伯父", "FAMILY", "FORWARD"),
    ("姨妈", "FAMILY", "FORWARD"),
    ("子女", "FAMILY", "FORWARD"),
    ("配偶", "FAMILY", "FORWARD"),
    ("丈夫", "FAMILY", "FORWARD"),
    ("妻子", "FAMILY", "FORWARD"),
    ("外祖母", "FAMILY", "FORWARD"),
    ("家族史", "FAMILY", "FORWARD"),
    ("家族中", "FAMILY", "FORWARD"),
    ("家人", "FAMILY", "FORWARD"),
    ("家族", "FAMILY", "FORWARD"),
    # terminations
    ("但", "NEGATED_EXISTENCE", "TERMINATE"),
    ("但是", "NEGATED_EXISTENCE", "TERMINATE"),
    ("伴", "NEGATED_EXISTENCE", "TERMINATE"),
    ("但", "POSSIBLE_EXISTENCE", "TERMINATE"),
    # the patient takes the sentence back from a relative ("母亲诉患儿发热": the child's fever, not the mother's)
    ("患者", "FAMILY", "TERMINATE"),
    ("患儿", "FAMILY", "TERMINATE"),
    ("病人", "FAMILY", "TERMINATE"),
    ("本人", "FAMILY", "TERMINATE"),
    ("诉", "FAMILY", "TERMINATE"),
    ("代诉", "FAMILY", "TERMINATE"),
    # pseudo-triggers: a negation character inside a phrase that negates nothing
    ("无明显诱因", "NEGATED_EXISTENCE", "PSEUDO"),
    ("无诱因", "NEGATED_EXISTENCE", "PSEUDO"),
    ("未予重视", "NEGATED_EXISTENCE", "PSEUDO"),
    ("未予", "NEGATED_EXISTENCE", "PSEUDO"),
    ("未经", "NEGATED_EXISTENCE", "PSEUDO"),
    ("未治疗", "NEGATED_EXISTENCE", "PSEUDO"),
    ("未就诊", "NEGATED_EXISTENCE", "PSEUDO"),
    ("未规律", "NEGATED_EXISTENCE", "PSEUDO"),
    ("不规律", "NEGATED_EXISTENCE", "PSEUDO"),
    ("不详", "NEGATED_EXISTENCE", "PSEUDO"),
    ("不适", "NEGATED_EXISTENCE", "PSEUDO"),
    ("不清", "NEGATED_EXISTENCE", "PSEUDO"),
    ("不振", "NEGATED_EXISTENCE", "PSEUDO"),
    ("不全", "NEGATED_EXISTENCE", "PSEUDO"),
    ("不能", "NEGATED_EXISTENCE", "PSEUDO"),
    ("不遂", "NEGATED_EXISTENCE", "PSEUDO"),
    ("不良", "NEGATED_EXISTENCE", "PSEUDO"),
    ("不佳", "NEGATED_EXISTENCE", "PSEUDO"),
    ("缓解后", "NEGATED_EXISTENCE", "PSEUDO"),
    ("休息后缓解", "NEGATED_EXISTENCE", "PSEUDO"),
    ("可缓解", "NEGATED_EXISTENCE", "PSEUDO"),
    ("无法", "NEGATED_EXISTENCE", "PSEUDO"),
    ("如下", "HYPOTHETICAL", "PSEUDO"),
    ("父母健在", "FAMILY", "PSEUDO"),
]

# Negation triggers that say the finding was there and is gone: negated now, asserted HISTORICAL (issue: "resolved",
# "no longer" are history, not absence). Matched on the lower-cased literal, any source.
ASSERT_AS_HISTORICAL = {
    "resolved", "now resolved", "has resolved", "have resolved", "resolution of", "no longer", "no longer present",
    "no longer has", "no longer have", "no longer had", "no longer reports", "no longer complains of",
    "no longer experiencing", "is no longer", "subsided", "has subsided",
    "已缓解", "缓解", "已消失", "消失", "已愈", "痊愈", "治愈", "已好转",
}

# NegEx lists "evaluate for" as a negation trigger ([PREN]); the negation answer keeps NegEx's convention (its gold
# set is scored that way) but the assertion is POSSIBLE: a work-up is a possibility, not a denial.
ASSERT_AS_POSSIBLE = {"evaluate for"}

# Category overrides for source rules, keyed by (source, literal): a work-up is a possibility, not a denial.
LANTERN_CATEGORY_OVERRIDES = {("medspacy", "evaluate for"): "POSSIBLE_EXISTENCE"}

# Direction overrides for source rules, keyed by (source, literal). medspaCy's ": no" is BACKWARD ("Fever: no"), but
# as the longest match it also swallows the forward "no" of "Heart: no murmurs", so it reads both ways here.
LANTERN_DIRECTION_OVERRIDES = {("medspacy", ": no"): "BIDIRECTIONAL"}


# the runtime reads these full-width marks as their ASCII forms (contextAlgorithm.ts FULL_WIDTH): rules must too,
# or a rule written with "？" never matches
FULL_WIDTH = {"\uff1b": ";", "\uff1a": ":", "\u3002": ".", "\uff1f": "?", "\uff01": "!"}


def toks(s: str) -> list[str]:
    return [FULL_WIDTH.get(t, ascii_lower(t)) for t, _, _ in tokenise(s.replace("\u2019", "'"))]


def value_options(spec) -> list[list[str]]:
    """One spaCy token spec -> list of token sequences it may stand for (empty list entry = skipped)."""
    lower = spec.get("LOWER")
    if isinstance(lower, str):
        values = [lower]
    elif isinstance(lower, dict) and isinstance(lower.get("IN"), list):
        values = lower["IN"]
    else:
        raise SystemExit(f"unsupported token spec {spec}")
    extra = set(spec) - {"LOWER", "OP"}
    if extra:
        raise SystemExit(f"unsupported token spec keys {extra}")
    opts = []
    for v in values:
        v = "not" if v == "n't" else v
        seq = toks(v)
        if seq:
            opts.append(seq)
    op = spec.get("OP")
    if op == "?":
        opts.append([])
    elif op is not None:
        raise SystemExit(f"unsupported OP {op}")
    return opts


def expand(pattern) -> list[tuple[str, ...]]:
    seqs = set()
    for combo in itertools.product(*[value_options(s) for s in pattern]):
        seq = tuple(t for part in combo for t in part)
        if seq:
            seqs.add(seq)
    return sorted(seqs)


def read_trigger_file(path: str):
    with open(path, encoding="utf-8", newline="") as f:
        for raw in f.read().splitlines():
            line = raw.strip("\r\n")
            if not line.strip():
                continue
            parts = [p for p in line.split("\t") if p.strip()]
            if len(parts) != 2:
                raise SystemExit(f"{path}: cannot read line {raw!r}")
            yield parts[0].strip(), parts[1].strip()


def main() -> None:
    neg_dir = os.path.join(data_dir(), "nlp", "negation")
    medspacy_path = os.path.join(neg_dir, "medspacy", "en_context_rules.json")
    negex_path = os.path.join(neg_dir, "negex", "negex.python_negex_triggers.txt")

    raw_rules: list[dict] = []  # {literal, category, direction, source, maxScope, sequences}
    sources = []

    with open(medspacy_path, encoding="utf-8") as f:
        med = json.load(f)["context_rules"]
    for r in med:
        cat, direction = r["category"], r["direction"]
        if cat not in CATEGORY_TO_ASSERTION or direction not in DIRECTIONS:
            raise SystemExit(f"unexpected medspaCy rule {r}")
        seqs = expand(r["pattern"]) if r.get("pattern") else [tuple(toks(r["literal"]))]
        direction = LANTERN_DIRECTION_OVERRIDES.get(("medspacy", r["literal"]), direction)
        cat = LANTERN_CATEGORY_OVERRIDES.get(("medspacy", r["literal"]), cat)
        raw_rules.append({"literal": r["literal"], "category": cat, "direction": direction, "source": "medspacy", "sequences": seqs})
    sources.append({"id": "medspacy", "file": "nlp/negation/medspacy/en_context_rules.json", "sha256": sha256_file(medspacy_path), "licence": "MIT (medspaCy)", "rules": len(med)})

    n = 0
    for literal, tag in read_trigger_file(negex_path):
        if tag not in NEGEX_TAGS:
            raise SystemExit(f"unknown NegEx tag {tag}")
        cat, direction = NEGEX_TAGS[tag]
        raw_rules.append({"literal": literal, "category": cat, "direction": direction, "source": "negex", "sequences": [tuple(toks(literal))]})
        n += 1
    sources.append({"id": "negex", "file": "nlp/negation/negex/negex.python_negex_triggers.txt", "sha256": sha256_file(negex_path), "licence": "Apache-2.0 (NegEx)", "rules": n})

    for fname, cat, sid in GENCONTEXT_FILES:
        path = os.path.join(neg_dir, "negex", fname)
        n = 0
        for literal, tag in read_trigger_file(path):
            if tag not in GENCONTEXT_TAGS:
                raise SystemExit(f"unknown tag {tag} in {fname}")
            rule = {"literal": literal, "category": cat, "direction": GENCONTEXT_TAGS[tag], "source": sid, "sequences": [tuple(toks(literal))]}
            if tag == "[ONEW]":
                rule["maxScope"] = 1
            raw_rules.append(rule)
            n += 1
        sources.append({"id": sid, "file": f"nlp/negation/negex/{fname}", "sha256": sha256_file(path), "licence": "Apache-2.0 (NegEx/GenConText)", "rules": n})

    for literal, cat, direction in LANTERN_RULES:
        raw_rules.append({"literal": literal, "category": cat, "direction": direction, "source": "lantern", "sequences": [tuple(toks(literal))]})
    sources.append({"id": "lantern", "file": "models/training/nlp/build_context_rules.py (LANTERN_RULES)", "licence": "project", "rules": len(LANTERN_RULES)})
    for literal, cat, direction in LANTERN_ZH_RULES:
        raw_rules.append({"literal": literal, "category": cat, "direction": direction, "source": "lantern-zh", "sequences": [tuple(toks(literal))]})
    sources.append({"id": "lantern-zh", "file": "models/training/nlp/build_context_rules.py (LANTERN_ZH_RULES)", "licence": "project", "rules": len(LANTERN_ZH_RULES)})

    # Merge: one output rule per (category, direction, maxScope, literal); a sequence already produced for the same
    # (category, direction, maxScope) by an earlier rule is dropped (medspaCy first, then NegEx, GenConText, Lantern).
    seen: set = set()
    merged: dict = {}
    for r in raw_rules:
        ms = r.get("maxScope")
        key = (r["category"], r["direction"], ms, r["literal"].lower())
        for seq in r["sequences"]:
            sk = (r["category"], r["direction"], ms, seq)
            if sk in seen:
                continue
            seen.add(sk)
            out = merged.setdefault(key, {"literal": r["literal"], "category": r["category"], "direction": r["direction"], "sources": [], "sequences": []})
            if ms is not None:
                out["maxScope"] = ms
            if r["source"] not in out["sources"]:
                out["sources"].append(r["source"])
            out["sequences"].append(list(seq))
    rules = sorted(merged.values(), key=lambda r: (r["category"], r["direction"], r["literal"].lower()))
    for r in rules:
        if r["category"] == "NEGATED_EXISTENCE" and r["direction"] != "TERMINATE" and r["direction"] != "PSEUDO":
            if r["literal"].lower() in ASSERT_AS_HISTORICAL:
                r["assertAs"] = "HISTORICAL"
            elif r["literal"].lower() in ASSERT_AS_POSSIBLE:
                r["assertAs"] = "POSSIBLE_EXISTENCE"

    out_path = os.path.join(project_root(), "models", "artefacts", "nlp", "contextRules.json")
    sha = write_json(
        out_path,
        {
            "format": "lantern-context-rules/1",
            "generatedBy": "models/training/nlp/build_context_rules.py",
            "tokeniser": TOKENISER_ID,
            "matching": "ASCII-lowercased tokens; \u2019 read as '; \"X n ' t\" contractions read as \"X not\"",
            "categoryToAssertion": CATEGORY_TO_ASSERTION,
            "sources": sources,
            "rules": rules,
        },
    )
    update_nlp_manifest(
        {
            "id": "context-rules",
            "version": "1.3.0",
            "kind": "context-rules",
            "artefact": rel_to_models(out_path),
            "sha256": sha,
            "card": "nlp/README.md",
            "files": [],
            "labels": ["present", "absent", "possible", "historical", "hypothetical", "family"],
        }
    )
    nseq = sum(len(r["sequences"]) for r in rules)
    print(f"wrote {out_path}: {len(rules)} rules, {nseq} token sequences, sha256 {sha}")


if __name__ == "__main__":
    main()

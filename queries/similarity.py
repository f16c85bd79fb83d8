"""Text similarity of recommendations across councils: TF-IDF vectors and cosine similarity, in plain Python so it
runs offline with no model to download.

>>> round(cosine({"a": 1.0, "b": 1.0}, {"a": 1.0}), 2)
0.71
"""
from __future__ import annotations

import math
import re
from collections import Counter

from pyoxigraph import Literal

from govgraph.queries.store import SelectResult

STOPWORDS = set("""a an the and or of to in on for with by from at as is are be been being this that these those it its
their our we will should would could can may must into within across through so such than then there which who
whom what when where how all any each more most other some very not no also including include ensure further
council councils""".split())
COLUMNS = ["recommendation", "council_name", "review_name", "text", "similar", "similar_council_name",
           "similar_review_name", "similar_text", "score"]


def words(text: str) -> list[str]:
    """Content words, lower case, with plural and -ing/-ed endings trimmed so 'reviews' and 'reviewing' agree."""
    out = []
    for w in re.findall(r"[a-z][a-z'-]+", text.lower()):
        if w in STOPWORDS or len(w) < 3:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                break
        out.append(w)
    return out


def tfidf(texts: list[str]) -> list[dict[str, float]]:
    docs = [Counter(words(t)) for t in texts]
    df = Counter(w for d in docs for w in d)
    n = len(docs)
    return [{w: (c / max(1, sum(d.values()))) * math.log((1 + n) / (1 + df[w])) + 1e-12 for w, c in d.items()}
            for d in docs]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def similar_recommendations(result: SelectResult, bound: dict) -> SelectResult:
    """Pairs of recommendations from different councils or reviews, scored, best first."""
    rows = result.rows
    vectors = tfidf([r["text"].value if r["text"] else "" for r in rows])
    floor = int(bound["min_score"].value) / 100 if "min_score" in bound else 0.2
    council, wanted = bound.get("council"), bound.get("recommendation")
    view = bound["view"].value if "view" in bound else "councils"
    if view not in VIEWS:
        from govgraph.queries import QueryError

        raise QueryError(f"parameter 'view' must be one of {', '.join(VIEWS)}, not {view!r}")
    over_time = view == "over-time"
    out = SelectResult(COLUMNS)
    pairs = []
    # Only the pairs that can be listed are scored: one side is the wanted recommendation or of the council, and
    # over time the other side is of the same council (scoring every pair and skipping most made one
    # recommendation's list grow with the square of the corpus).
    same_council: dict = {}
    for j, b in enumerate(rows):
        same_council.setdefault(b["council"], []).append(j)
    if wanted is not None:
        firsts = [i for i, a in enumerate(rows) if a["recommendation"] == wanted]
    elif council is not None:
        firsts = [i for i, a in enumerate(rows) if a["council"] == council]
    else:
        firsts = range(len(rows))
    for i in firsts if not over_time else range(len(rows)):
        a = rows[i]
        for j in same_council[a["council"]] if over_time else range(len(rows)):
            b = rows[j]
            if i == j or (a["council"] == b["council"] and a["review"] == b["review"]):
                continue
            if over_time:
                # one council's reviews, the earlier first
                if a["council"] != b["council"] or (_date(a), a["review"].value) >= (_date(b), b["review"].value):
                    continue
                if (wanted is not None and wanted not in (a["recommendation"], b["recommendation"])) or (
                        council is not None and a["council"] != council):
                    continue
                score = cosine(vectors[i], vectors[j])
                if score >= floor:
                    pairs.append((score, a, b))
                continue
            if wanted is None and council is None and i > j:
                continue  # each unordered pair once
            score = cosine(vectors[i], vectors[j])
            if score >= floor:
                pairs.append((score, a, b))
    order = (lambda p: (p[1]["council_name"].value, -p[0])) if over_time else (lambda p: -p[0])
    for score, a, b in sorted(pairs, key=order):
        out.rows.append({"recommendation": a["recommendation"], "council_name": a["council_name"],
                         "review_name": a["review_name"], "text": a["text"], "similar": b["recommendation"],
                         "similar_council_name": b["council_name"], "similar_review_name": b["review_name"],
                         "similar_text": b["text"], "score": Literal(f"{score:.2f}")})
    return out


def _date(row) -> str:
    return row["date"].value if row.get("date") is not None else ""


VIEWS = ("councils", "over-time")
TRANSFORMS = {"similar_recommendations": similar_recommendations}


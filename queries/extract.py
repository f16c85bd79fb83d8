"""The reading of one document as JSON in the shape of the gold annotations (``shared/gold/SCHEMA.md``).

It is built by querying the document's graph, not from the loader's internal objects, so what is scored is
exactly what is loaded. The store given should hold that one document (``govgraph extract`` loads each file
into its own in-memory store).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from govgraph.ontology import GG, SKOS
from govgraph.queries import PREFIX_BLOCK
from govgraph.queries.store import GraphStore

HERE = Path(__file__).resolve().parent / "extract"
COUNT_NAMES = {GG.Recommendation.value: "recommendations", GG.Action.value: "actions",
               GG.Milestone.value: "milestones", SKOS.Concept.value: "themes"}


@lru_cache(maxsize=None)
def _query(name: str) -> str:
    return PREFIX_BLOCK + (HERE / f"{name}.rq").read_text(encoding="utf-8")


def _rows(store: GraphStore, name: str) -> list[dict[str, str | None]]:
    return store.select(_query(name)).values()


def _order(iri: str | None) -> int:
    m = re.search(r"-(\d+)$", iri or "")
    return int(m[1]) if m else 0


FIELD_OF = {"accountablePost": "owners", "accountableUnit": "owners", "overseenBy": "oversight",
            "inheritedOversight": "oversight", "due": "due", "respondsTo": "responds_to", "contact": "people"}


def _method(iri: str | None) -> str | None:
    """The name of a gg:ReadingMethods concept ('labelled header') from its IRI."""
    return iri.rsplit("#reading-", 1)[1].replace("-", " ") if iri and "#reading-" in iri else None


def _how(row: dict) -> dict:
    """How a thing was read, as the extract shows it beside the thing."""
    if row.get("confidence") is None:
        return {}
    return {"confidence": float(row["confidence"]), "read_by": _method(row.get("read_by"))}


def document_json(store: GraphStore) -> dict:
    """The gold-schema reading of the single document in ``store``."""
    meta = (_rows(store, "document") or [{}])[0]
    themes = {r["theme"]: f"T{i}" for i, r in enumerate(_rows(store, "themes"), 1)}
    theme_list = [{"id": tid, "name": name} for tid, name in
                  zip(themes.values(), (r["name"] for r in _rows(store, "themes")))]
    recs = _rows(store, "recommendations")
    rec_ids = {r["recommendation"]: f"R{i}" for i, r in enumerate(recs, 1)}

    links: dict[str, dict[str, list[tuple[int, str]]]] = {}
    readings: dict[str, dict[tuple[str, str], dict]] = {}  # item -> (field, value) -> how it was read
    for r in _rows(store, "links"):
        predicate = r["predicate"].rsplit("#", 1)[1]
        if predicate == "due":
            # question marks printed for a date are a gap (listed under gaps), not a date
            value = None if re.fullmatch(r"\?+", r["label"] or "") else r["label"]
        elif predicate == "respondsTo":
            value = rec_ids.get(r["object"])
        else:
            value = r["printed"]
        if value and r.get("confidence") is not None:
            seen = readings.setdefault(r["item"], {})
            how = {"field": FIELD_OF[predicate], "value": value, **_how(r)}
            if (how["field"], value) not in seen or how["confidence"] > seen[how["field"], value]["confidence"]:
                seen[how["field"], value] = how
        if value:
            bucket = links.setdefault(r["item"], {}).setdefault(predicate, [])
            if value not in [v for _, v in bucket]:
                bucket.append((_order(r["link"]) or _order(r["object"]), value))

    for r in _rows(store, "revisions"):
        bucket = links.setdefault(r["item"], {}).setdefault("due", [])
        if r["revised"] not in [v for _, v in bucket]:
            bucket.append((10**6 + _order(r["revision"]), r["revised"]))

    def linked(item: str, *predicates: str) -> list[str]:
        found = sorted(v for p in predicates for v in links.get(item, {}).get(p, []))
        return list(dict.fromkeys(v for _, v in found))

    statuses = {r["item"]: r for r in _rows(store, "statuses")}
    actions: list[dict] = []
    by_iri: dict[str, dict] = {}
    for r in _rows(store, "commitments"):
        item = r["item"]
        entry = {
            "text": r["text"],
            "due": linked(item, "due"),
            "owners": linked(item, "accountablePost", "accountableUnit"),
            "oversight": linked(item, "overseenBy") or linked(item, "inheritedOversight"),
        }
        people = [{"name": n, "role": "contact"} for n in linked(item, "contact")]
        entry.update(_how(r))
        entry["links_read"] = list(readings.get(item, {}).values())
        if r["kind"] == "action":
            status = statuses.get(item, {})
            entry = {"id": f"A{len(actions) + 1}", "number": r["number"], **entry,
                     "responds_to": linked(item, "respondsTo"), "theme": themes.get(r["theme"]),
                     "people": people, "status": status.get("status"), "progress": status.get("progress"),
                     "milestones": []}
            actions.append(entry)
            by_iri[item] = entry
        elif r["parent"] in by_iri:
            entry["people"] = people
            by_iri[r["parent"]]["milestones"].append(entry)

    names = _rows(store, "names")
    counts = {COUNT_NAMES.get(r["what"], r["what"]): int(r["value"]) for r in _rows(store, "stated-counts")}
    return {
        "document": meta.get("file"),
        "council": meta.get("council_name"),
        "kind": meta.get("kind"),
        "published": meta.get("issued"),
        "review": meta.get("review_name"),
        "stated_counts": counts,
        "themes": theme_list,
        "recommendations": [{"id": rec_ids[r["recommendation"]], "number": r["number"], "text": r["text"],
                             "theme": themes.get(r["theme"]), **_how(r)} for r in recs],
        "actions": actions,
        "bodies": sorted({r["label"] for r in names if r["kind"] == "body"}),
        "roles": sorted({r["label"] for r in names if r["kind"] == "post"}),
        "people": sorted(({"name": r["label"], "role": r["role"] or "contact"} for r in names
                          if r["kind"] == "person"), key=lambda p: p["name"]),
        "gaps": [r["gap"] for r in _rows(store, "gaps")],
    }

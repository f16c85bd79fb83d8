"""Resources: what the REST API and the pages show about one thing or a list of things."""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from pyoxigraph import NamedNode

from govgraph import queries
from govgraph.ontology import GG, ID, PREFIXES, RDF, RDFS
from govgraph.queries.store import ExportFormat, GraphStore, SelectResult
from govgraph.server.reports import run_query

# --- resources: what the REST API and the pages show -----------------------------------------------------------

#: The kinds of thing the API lists, by their plural (the URL segment), with their class and singular.
RESOURCE_KINDS: dict[str, tuple[NamedNode, str]] = {
    "councils": (GG.Council, "council"),
    "reviews": (GG.Review, "review"),
    "recommendations": (GG.Recommendation, "recommendation"),
    "actions": (GG.Action, "action"),
    "posts": (GG.OfficerPost, "post"),
    "people": (GG.Person, "person"),
    "bodies": (GG.OversightBody, "body"),
    "documents": (GG.SourceDocument, "document"),
}
KIND_OF_CLASS = {cls.value: singular for cls, singular in RESOURCE_KINDS.values()}
PLURAL_OF = {singular: plural for plural, (_, singular) in RESOURCE_KINDS.items()}
ID_PREFIX = str(ID)
#: Links whose own label reads badly from this end.
OUT_LABELS = {PREFIXES["prov"] + "wasDerivedFrom": "read from"}
#: How a link reads from the other end ("answered by" for an action that responds to this recommendation).
INVERSE_LABELS = {
    GG.respondsTo.value: "answered by", GG.accountablePost.value: "accountable for", GG.overseenBy.value: "oversees",
    GG.inheritedOversight.value: "oversees the plan of", GG.councilOf.value: "has", GG.hasMilestone.value:
    "milestone of", GG.milestoneOf.value: "has milestone", GG.issuedBy.value: "made", GG.contact.value: "contact for",
    GG.actionOfPlan.value: "has action", GG.respondsToReview.value: "answered by the plan", GG.theme.value: "theme of",
    GG.reviewOf.value: "reviewed by", GG.describesPlan.value: "described by", GG.statusOf.value: "status update",
    PREFIXES["prov"] + "wasDerivedFrom": "source of", PREFIXES["org"] + "heldBy": "holds", PREFIXES["org"] + "postIn": "has post", PREFIXES["org"] + "unitOf":
    "has body", PREFIXES["org"] + "memberOf": "has member",
}


def _resource_query(name: str) -> str:
    return queries.query_text("resources", name)


def _select(store: GraphStore, name: str, bound: dict, suffix: str = "") -> list[dict]:
    """Run one of ``queries/resources/`` with terms joined through a VALUES block (never pasted as text)."""
    return store.select(queries.with_values(_resource_query(name), bound) + suffix).values()


def page_path(iri: str) -> str:
    """The server path of a node's page: ``/id/...`` for govgraph's own IRIs, ``/resource?iri=...`` otherwise."""
    from urllib.parse import quote

    if iri.startswith(ID_PREFIX):
        return "/id/" + quote(iri[len(ID_PREFIX):], safe="/")
    return "/resource?iri=" + quote(iri, safe="")


def resolve_kind(kind: str) -> NamedNode:
    """The class of a resource kind ('actions'). :raises QueryError: unknown kind, listing the known ones."""
    if kind not in RESOURCE_KINDS:
        raise queries.QueryError(f"no resource kind {kind!r}; known kinds: {', '.join(RESOURCE_KINDS)}")
    return RESOURCE_KINDS[kind][0]


def council_term(store: GraphStore, council: str | None) -> NamedNode | None:
    """A council given by name, abbreviation or IRI, as its IRI. :raises QueryError: matches none or several."""
    if not council:
        return None
    return queries.resolve_term(store, queries.Parameter("council", "iri", "gg:Council"), council)


@dataclass
class ResourcePage:
    """One page of a list: ``items`` (dicts with ``iri``, ``label``, ``page`` ...) out of ``total``."""

    kind: str
    items: list[dict]
    total: int
    limit: int
    offset: int


def list_resources(store: GraphStore, kind: str, *, council: str | None = None, limit: int = 50,
                   offset: int = 0) -> ResourcePage:
    """The things of one kind, in council and document order, ``limit`` from ``offset``.

    :raises QueryError: unknown kind or council, or a limit outside 1..1000 or a negative offset.
    """
    cls = resolve_kind(kind)
    if not 1 <= limit <= 1000 or offset < 0:
        raise queries.QueryError("limit must be between 1 and 1000 and offset at least 0")
    bound = {"class": cls}
    term = council_term(store, council)
    if term is not None:
        bound["council"] = term
    total = int(_select(store, "count", bound)[0]["total"])
    rows = _select(store, "list", bound, f"\nLIMIT {int(limit)} OFFSET {int(offset)}")
    items = [{"iri": r["item"], "label": r["label"], "number": r["number"], "council": r["council"],
              "council_name": r["council_name"], "review": r["review"], "review_name": r["review_name"],
              "page": page_path(r["item"])} for r in rows]
    return ResourcePage(kind, items, total, limit, offset)


@dataclass
class Resource:
    """A node as a page or an API answer shows it."""

    iri: str
    kind: str | None
    label: str
    types: list[str]
    properties: list[dict]  # property, property_label, value
    links: list[dict]  # direction, property, property_label, other, other_label, other_kind, page
    sections: dict[str, SelectResult] = field(default_factory=dict)  # named-query answers about it, by title
    glance: Glance | None = None  # an action's state in a few words
    answers: list[dict] = field(default_factory=list)  # a recommendation's actions: iri, text, number, page, glance
    chain: list[ChainOfAction] = field(default_factory=list)  # the accountability chain, action by action
    timeline: list[dict] = field(default_factory=list)  # an action's history by date: date, events


@dataclass
class ChainOfAction:
    """One action's links in an accountability chain, each link once (``step``, ``target``, ``target_name``,
    ``printed``, and ``sources``: each place it was read, with how it was read and the number of its quote), and
    the texts they were read from, each once (``quotes``: ``number``, ``text``, ``sources``)."""

    action: str
    text: str
    page: str
    links: list[dict]
    quotes: list[dict]
    missing: list[str]


#: The chain's steps that show an accountable officer, an oversight body and a due date.
CHAIN_NEEDS = (("no accountable officer", ("accountable post", "milestone: accountable post")),
               ("no oversight body", ("overseen by", "oversees the plan", "milestone: overseen by")),
               ("no due date", ("due", "milestone: due")))


def chain_of_actions(rows: list[dict]) -> list[ChainOfAction]:
    """The ``accountability-chain`` rows grouped for reading: per action, each link once however many documents
    state it, and each source text once however many links were read from it, numbered so a link can point at
    its quote."""
    out = []
    for action in dict.fromkeys(r["action"] for r in rows if r.get("action")):
        mine = [r for r in rows if r["action"] == action]
        links: dict[tuple, dict] = {}
        quotes: dict[str, dict] = {}
        for r in mine:
            # keyed by the name: a due date is a node of each document that prints it, one link to a reader
            link = links.setdefault((r["step"], r.get("target_name") or r.get("target"), r.get("printed")), {
                "step": r["step"], "target": r.get("target"), "target_name": r.get("target_name"),
                "printed": r.get("printed"), "page": page_path(r["target"]) if r.get("target") else None,
                "sources": []})
            number = None
            if r.get("quote"):
                quote = quotes.setdefault(r["quote"], {"number": len(quotes) + 1, "text": r["quote"], "sources": []})
                number = quote["number"]
                if r.get("source") and r["source"] not in quote["sources"]:
                    quote["sources"].append(r["source"])
            read_by = r.get("read_by") or ""
            confidence = read_by.rsplit("(", 1)[-1].rstrip(")") if "(" in read_by else ""
            source = {"source": r.get("source"), "read_by": read_by, "quote": number,
                      "confidence": float(confidence) if confidence.replace(".", "", 1).isdigit() else None}
            if (r.get("source") or read_by or number) and source not in link["sources"]:
                link["sources"].append(source)
        steps = {r["step"] for r in mine}
        missing = [what for what, wanted in CHAIN_NEEDS if not steps.intersection(wanted)]
        out.append(ChainOfAction(action, mine[0].get("action_text") or action, page_path(action), list(links.values()),
                                 list(quotes.values()), missing))
    return out


#: The colours a status can be shown in (server/static/govgraph.css): the common scale's statuses.
STATUS_CLASSES = ("completed", "on-track", "in-progress", "revised-timescale", "slippage", "not-started",
                  "deferred")
#: The order of an action's events on one date: where it was named first, then what it said.
EVENT_ORDER = {"named in": 0, "due": 1, "due revised": 2, "status": 3}


def timeline(history: list[dict]) -> list[dict]:
    """An action's ``action-history`` rows as a timeline: one entry per date (undated ones last), each with its
    events (``event``, ``detail``, ``document``) in the order a reader follows them; the first date is where the
    action was agreed."""
    dates: dict[str, list[dict]] = {}
    for r in sorted(history, key=lambda r: (not r.get("date"), r.get("date") or "", EVENT_ORDER.get(r["event"], 9))):
        event = {"event": r["event"], "detail": r.get("detail") or "", "document": r.get("document") or ""}
        if r["event"] == "status":  # "slippage: the note" -> the status apart, coloured if on the common scale
            status, _, note = event["detail"].partition(": ")
            event.update(status=status, note=note, status_class=status.replace(" ", "-")
                         if status.replace(" ", "-") in STATUS_CLASSES else "unknown")
        if event not in dates.setdefault(r.get("date") or "", []):
            dates[r.get("date") or ""].append(event)
    return [{"date": d, "events": events} for d, events in dates.items()]


@dataclass
class Glance:
    """An action at a glance: its latest status on the common scale (with the council's own word, date and note),
    its due dates as printed and as revised, who is accountable, who oversees it, and what is missing."""

    status: str | None  # the common scale's label ('slippage'), or the council's own word where none maps
    status_class: str  # 'completed', 'on-track', 'slippage' ... or 'unknown': the colour it is shown in
    own_words: str | None
    status_date: str | None
    note: str | None
    due: list[str]
    revised: list[str]
    owners: list[str]
    bodies: list[str]
    missing: list[str]


def describe(store: GraphStore, iri: str) -> Resource | None:
    """What the store says about ``iri``, with the named-query answers for its kind: the accountability chain of a
    recommendation or action, what a body oversees, what a post is accountable for. None if nothing is known."""
    try:
        node = NamedNode(iri)
    except ValueError:
        return None
    about = _select(store, "about", {"node": node})
    if not about:
        return None
    types = [r["value"] for r in about if r["property"] == RDF.type.value]
    kind = next((KIND_OF_CLASS[t] for t in types if t in KIND_OF_CLASS), None)
    properties = [r for r in about if r["property"] != RDF.type.value]
    label = _label_in(properties)
    links = []
    for r in _select(store, "links", {"node": node}):
        r["other_kind"] = KIND_OF_CLASS.get(r["other_class"] or "")
        r["relation"] = (OUT_LABELS.get(r["property"], r["property_label"]) if r["direction"] == "out" else
                         INVERSE_LABELS.get(r["property"], f"is the {r['property_label']} of"))
        other = r["other_kind"]
        r["group"] = (r["relation"] if not other or other in r["relation"]
                      else f"{r['relation']}: {PLURAL_OF[other]}")
        r["page"] = page_path(r["other"])
        links.append(r)
    resource = Resource(iri, kind, label or iri.rsplit("/", 1)[-1], types, properties, links)
    named = {"recommendation": [("accountability-chain", "recommendation")],
             "action": [("accountability-chain", "action"), ("action-history", "action")],
             "body": [("body-oversees", "body")], "post": [("post-workload", "post")]}
    for name, parameter in named.get(kind, []):
        query, result = run_query(store, name, {parameter: iri})
        resource.sections[query.title] = result
    chain = next((r.values() for r in resource.sections.values() if "step" in r.variables), [])
    resource.chain = chain_of_actions(chain)
    if kind == "action":
        history = next((r.values() for r in resource.sections.values() if "event" in r.variables), [])
        resource.glance = _glance(store, node, chain, history)
        resource.timeline = timeline(history)
    elif kind == "recommendation":  # each action answering it at a glance, from its chain's rows
        for action in dict.fromkeys(r["action"] for r in chain if r.get("action")):
            rows = [r for r in chain if r["action"] == action]
            number = next((r["value"] for r in _select(store, "about", {"node": NamedNode(action)})
                           if r["property"] == PREFIXES["dcterms"] + "identifier"), None)
            resource.answers.append({"iri": action, "text": rows[0].get("action_text") or action, "number": number,
                                     "page": page_path(action),
                                     "glance": _glance(store, NamedNode(action), rows,
                                                       run_query(store, "action-history", {"action": action})[1]
                                                       .values())})
    return resource


def _glance(store: GraphStore, node: NamedNode, chain: list[dict], history: list[dict]) -> Glance:
    latest = _select(store, "latest-status", {"node": node})
    status = latest[0] if latest else {}

    def names(*steps: str) -> list[str]:
        return list(dict.fromkeys(r["target_name"] for r in chain if r["step"] in steps and r["target_name"]))

    owners, bodies = names("accountable post"), names("overseen by", "oversees the plan")
    due = list(dict.fromkeys(r["detail"] for r in history if r["event"] == "due" and r["detail"])) or names("due")
    revised = [r["detail"] for r in history if r["event"] == "due revised" and r["detail"]]
    scale = status.get("scale")
    missing = [what for what, found in (("accountable officer", owners), ("oversight body", bodies),
                                        ("due date", due), ("status", status)) if not found]
    return Glance(status=status.get("scale_label") or status.get("printed"),
                  status_class=scale.rsplit("status-", 1)[-1] if scale and "status-" in scale else "unknown",
                  own_words=status.get("printed"), status_date=status.get("date"), note=status.get("note"),
                  due=due, revised=revised, owners=owners, bodies=bodies, missing=missing)


NAME_PROPERTIES = (RDFS.label.value, PREFIXES["skos"] + "prefLabel", PREFIXES["dcterms"] + "title")


def _label_in(properties: list[dict]) -> str | None:
    return next((r["value"] for r in properties if r["property"] in NAME_PROPERTIES), None)


def label_of(store: GraphStore, iri: str) -> str | None:
    """A node's name (or its IRI when it has none), or None when the store knows nothing about it. Cheap: for
    checking that a node exists without running the named queries :func:`describe` runs."""
    try:
        about = _select(store, "about", {"node": NamedNode(iri)})
    except ValueError:
        return None
    return (_label_in(about) or iri) if about else None


def document_sources(store: GraphStore) -> dict[str, str]:
    """The file each loaded document was read from, to the document's IRI (without counting triples)."""
    rows = store.select(queries.PREFIX_BLOCK + "SELECT ?file ?g WHERE { GRAPH ?g { ?g a gg:SourceDocument ; "
                        "dcterms:source ?file } }").values()
    return {r["file"]: r["g"] for r in rows}


def describe_rdf(store: GraphStore, iri: str, fmt: ExportFormat) -> bytes:
    """Every triple about ``iri`` and pointing at it, serialised (for linked-data clients asking for RDF)."""
    from govgraph.ontology import PREFIXES as prefixes

    triples = store.construct(queries.with_values(_resource_query("describe"), {"node": NamedNode(iri)}))
    return ox.serialize(list(dict.fromkeys(triples)), format=fmt.rdf_format,
                        prefixes=prefixes if fmt is ExportFormat.TURTLE else None) or b""


@dataclass
class CouncilView:
    """What a council's page shows beyond its links: its reviews' figures (overdue judged at ``as_of``), its
    documents by date (``council-over-time`` rows), the gap lists' counts per review, and the posts and bodies
    carrying most of its actions (each a dict with ``node``, ``name``, ``actions``, ``stated``, ``page``)."""

    figures: list
    over_time: list[dict]
    gaps: dict[str, dict[str, int]]  # review IRI -> gap list's summary name -> count
    posts: list[dict]
    bodies: list[dict]
    as_of: str | None


def council_view(store: GraphStore, council: NamedNode, *, as_of: str | None = None, top: int = 8) -> CouncilView:
    """A council's page's figures, all read for that council only (its summary graph, its documents, its actions),
    so the page costs the same however many other councils are loaded. :raises QueryError: a bad ``as_of``."""
    from govgraph.server.figures import council_over_time, dashboard
    from govgraph.server.reports import gap_counts

    figures = dashboard(store, as_of=as_of, council=council)
    gaps = {review: counts for (_, review), counts in gap_counts(store, council=council).items()}
    carrying: dict[str, list[dict]] = {"post": [], "body": []}
    for r in _select(store, "carrying", {"council": council}):
        if len(carrying[r["kind"]]) < top:
            carrying[r["kind"]].append({**r, "actions": int(r["actions"]), "stated": int(r["stated"]),
                                        "page": page_path(r["node"])})
    return CouncilView(figures, council_over_time(store, council=council.value), gaps, carrying["post"],
                       carrying["body"], as_of)

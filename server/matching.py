"""The match step of loading (read → match → write): the same recommendation or action read from several
documents of one council is one node, with evidence from each document.

Loading a document, or removing one, re-matches that council's documents from scratch, so the graph depends only
on the set of documents loaded, never on their order:

1. every recommendation and action of the council is gathered with the identifier its own document gives it
   (``gg:readAs``), its review, its number and its text;
2. within one review, things of different documents with the same number are one thing; otherwise their texts are
   compared (:func:`similarity`), and pairs at or above :data:`MERGE` are joined, best pairs first, one thing per
   document at most; pairs between :data:`CANDIDATE` and :data:`MERGE` are recorded as possible duplicates for an
   officer to confirm, never merged; nothing is ever matched across councils;
3. each group of matched things takes one IRI: a numbered item's, else the smallest, and every document graph
   is rewritten with it (each keeps its own wording, its evidence and ``gg:readAs``);
4. the council's identity graph (``gg:IdentityGraph``) is rebuilt: possible duplicates, recommendations carried
   forward from an earlier review (an issue repeated in next year's governance statement), due dates revised
   between documents (``gg:DueDateRevision``) and status updates in date order (``prov:wasRevisionOf``).

Only the council's own graphs are read and written: loading one document costs the same in a store of one council
as in a store of a thousand.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Triple

from govgraph import queries
from govgraph.loaders.names import first_sentence
from govgraph.ontology import GG, ID, RDF, XSD
from govgraph.queries.store import GraphStore, OxigraphStore

MERGE = 90.0  # texts at least this alike (0-100) are one thing
CANDIDATE = 75.0  # texts at least this alike, but under MERGE, are listed as possible duplicates
CONTAINED_MIN_WORDS = 6  # a text inside another counts as alike only when it has at least this many words
CONTAINED = 80.0  # a short text whose words are this far inside another's is a possible duplicate of it

IDENTITY_PREFIX = ID["identity/"].value


def identity_graph(council: NamedNode) -> NamedNode:
    """The name of a council's identity graph."""
    return NamedNode(IDENTITY_PREFIX + council.value.rsplit("/", 1)[-1])


def is_identity_graph(graph: NamedNode) -> bool:
    return graph.value.startswith(IDENTITY_PREFIX)


@lru_cache(maxsize=65536)
def _words(text: str) -> str:
    """A text as compared: its words in lower case ('&' as 'and'). Each text is normalised once, however many
    others it is compared with."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("&", " and ")))


@lru_cache(maxsize=65536)
def _first_words(text: str) -> str:
    return _words(first_sentence(text, 300))


def similarity(a: str, b: str) -> float:
    """How alike two recommendation or action texts are, from 0 to 100: their first sentences compared whole, or
    one text found inside the other (a tracker quoting part of a plan's action), a little lower.

    >>> similarity("Review the constitution by March 2024.", "Review the Constitution by March 2024")
    100.0
    >>> similarity("Refresh the risk register.", "Publish the annual scrutiny report.") < 75
    True
    """
    from rapidfuzz import fuzz

    first = fuzz.ratio(_first_words(a), _first_words(b))
    wa, wb = _words(a), _words(b)
    contained = 0.0
    if min(len(wa.split()), len(wb.split())) >= CONTAINED_MIN_WORDS:
        contained = 0.92 * fuzz.token_set_ratio(wa, wb)
    return round(max(first, contained), 1)


def overlap(a: str, b: str) -> float:
    """How far the words of the shorter text are all found in the longer, from 0 to 100, for texts of at least
    three words: a plan's deliverable ('Refresh the behaviours framework') inside a tracker's bundled action."""
    from rapidfuzz import fuzz

    wa, wb = _words(a), _words(b)
    if min(len(wa.split()), len(wb.split())) < 3:
        return 0.0
    return round(fuzz.token_set_ratio(wa, wb), 1)


@dataclass(frozen=True)
class Item:
    """A recommendation or action as one document reads it."""

    graph: NamedNode
    node: NamedNode  # its IRI in the store now
    own: str  # the IRI its document alone gives it
    kind: str  # "recommendation" or "action"
    review: str | None
    number: str | None
    text: str
    date: str | None  # the document's date


ITEMS = queries.PREFIX_BLOCK + """
SELECT ?g ?node ?own ?cls ?review ?number ?text ?date WHERE {
  GRAPH ?g {
    ?node gg:readAs ?own ; a ?cls ; dcterms:description ?text .
    VALUES ?cls { gg:Recommendation gg:Action }
    OPTIONAL { ?node dcterms:identifier ?number }
    OPTIONAL { ?node gg:issuedBy ?issuer }
    OPTIONAL { ?node gg:actionOfPlan/gg:respondsToReview ?answered }
    OPTIONAL { ?g dcterms:issued ?date }
  }
  BIND(COALESCE(?issuer, ?answered) AS ?review)
}"""


COUNCIL_DOCUMENTS = queries.PREFIX_BLOCK + """
SELECT DISTINCT ?council ?g WHERE { GRAPH ?g { ?g gg:councilOf ?council } }"""


def council_documents(store: GraphStore, council: NamedNode) -> list[NamedNode]:
    """The graphs of a council's documents (not its identity graph)."""
    return sorted((r["g"] for r in store.select(COUNCIL_DOCUMENTS, bindings={"council": council}).rows
                   if not is_identity_graph(r["g"])), key=lambda g: g.value)


def _per_graph(store: GraphStore, query: str, graphs: list[NamedNode]) -> list:
    """A query's rows over each of the given graphs in turn: each is found by its name, so the cost does not grow
    with the other councils in the store."""
    return [r for g in graphs for r in store.select(query, bindings={"g": g}).rows]


def council_items(store: GraphStore, council: NamedNode, *, leave_out: NamedNode | None = None) -> list[Item]:
    """Every recommendation and action of a council's documents, as each document reads it."""
    out = []
    for r in _per_graph(store, ITEMS, [g for g in council_documents(store, council) if g != leave_out]):
        out.append(Item(r["g"], r["node"], r["own"].value,
                        "recommendation" if r["cls"] == GG.Recommendation else "action",
                        r["review"].value if r["review"] is not None else None,
                        r["number"].value if r["number"] is not None else None,
                        r["text"].value, r["date"].value if r["date"] is not None else None))
    return sorted(out, key=lambda i: (i.graph.value, i.own))


@dataclass
class Identity:
    """What matching decided for one council."""

    canonical: dict[tuple[str, str], str] = field(default_factory=dict)  # (graph, own IRI) -> the shared IRI
    candidates: list[tuple[str, str, float]] = field(default_factory=list)  # (IRI, IRI, similarity)
    carried: list[tuple[str, str, float]] = field(default_factory=list)  # (later IRI, earlier IRI, similarity)


class _Groups:
    """Union-find over items, where one group never holds two items of the same document."""

    def __init__(self, items: list[Item]) -> None:
        self.parent = {self.key(i): self.key(i) for i in items}
        self.graphs = {self.key(i): {i.graph.value} for i in items}

    @staticmethod
    def key(item: Item) -> tuple[str, str]:
        return item.graph.value, item.own

    def find(self, k):
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a, b, *, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and self.graphs[ra] & self.graphs[rb]:
            return False
        ra, rb = sorted((ra, rb))
        self.parent[rb] = ra
        self.graphs[ra] |= self.graphs.pop(rb)
        return True


def match(items: list[Item]) -> Identity:
    """Which items are one thing, which are close enough to check, and which repeat an earlier review's. A pure
    function of the set of items: their order does not matter."""
    items = sorted(set(items), key=lambda i: (i.graph.value, i.own))
    groups = _Groups(items)
    by_own: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_own[item.own].append(item)
    for same in by_own.values():  # one IRI in several documents (the same number in one review) is one thing
        for other in same[1:]:
            groups.join(groups.key(same[0]), groups.key(other), force=True)

    edges: list[tuple[float, str, str, Item, Item]] = []
    by_review: dict[tuple[str, str | None], list[Item]] = defaultdict(list)
    for item in items:
        by_review[item.kind, item.review].append(item)
    for members in by_review.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a.graph == b.graph or a.own == b.own:
                    continue
                if a.number and b.number and a.number != b.number:
                    continue  # both numbered, differently: two things whatever their words
                score = similarity(a.text, b.text)
                inside = overlap(a.text, b.text) if score < CANDIDATE else 0.0
                if score >= CANDIDATE:
                    edges.append((score, a.own, b.own, a, b))
                elif inside >= CONTAINED:  # listed as a possible duplicate, never merged
                    edges.append((round(min(0.8 * inside, MERGE - 0.1), 1), a.own, b.own, a, b))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    for score, _, _, a, b in edges:
        if score >= MERGE:
            groups.join(groups.key(a), groups.key(b))

    members: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        members[groups.find(groups.key(item))].append(item)
    identity = Identity()
    for group in members.values():
        shared = min(group, key=lambda i: (i.number is None, i.own)).own
        for item in group:
            identity.canonical[item.graph.value, item.own] = shared

    def shared_iri(item: Item) -> str:
        return identity.canonical[item.graph.value, item.own]

    # a close pair is worth an officer's look when one of the two found no match in the other's document
    seen: dict[tuple[str, str], float] = {}
    for score, _, _, a, b in edges:
        ia, ib = sorted((shared_iri(a), shared_iri(b)))
        alone = (b.graph.value not in groups.graphs[groups.find(groups.key(a))]
                 or a.graph.value not in groups.graphs[groups.find(groups.key(b))])
        if ia != ib and alone and seen.get((ia, ib), -1) < score:
            seen[ia, ib] = score
    identity.candidates = sorted((a, b, s) for (a, b), s in seen.items())
    identity.carried = _carried_forward(items, shared_iri)
    return identity


def _carried_forward(items: list[Item], shared_iri) -> list[tuple[str, str, float]]:
    """Recommendations of a later review that repeat one of an earlier review: each linked to the latest earlier
    one it repeats."""
    recs = [i for i in items if i.kind == "recommendation" and i.review and i.date]
    best_for: dict[str, tuple[str, float, str]] = {}  # later IRI -> (earlier date, similarity, earlier IRI)
    for later in recs:
        here = shared_iri(later)
        for earlier in recs:
            if earlier.review == later.review or earlier.date[:4] >= later.date[:4] or shared_iri(earlier) == here:
                continue
            score = similarity(later.text, earlier.text)
            if score < MERGE:
                continue
            found = (earlier.date, score, shared_iri(earlier))
            if here not in best_for or found > best_for[here]:
                best_for[here] = found
    return sorted((here, earlier, score) for here, (_, score, earlier) in best_for.items())


# --- writing the decision -----------------------------------------------------------------------------------------

UPDATES = queries.PREFIX_BLOCK + """
SELECT ?g ?update ?item ?date WHERE {
  GRAPH ?g { ?update a gg:StatusUpdate ; gg:statusOf ?item .
             OPTIONAL { ?update dcterms:date ?date } }
}"""

DUES = queries.PREFIX_BLOCK + """
SELECT ?g ?item ?due ?end ?date WHERE {
  GRAPH ?g { ?item a gg:Action ; gg:due ?due .
             ?due gg:readable true ; time:hasEnd/time:inXSDDate ?end .
             OPTIONAL { ?g dcterms:issued ?date } }
}"""


def _rename(triples: list[Triple], mapping: dict[NamedNode, NamedNode]) -> list[Triple]:
    if not mapping:
        return triples
    return [Triple(mapping.get(t.subject, t.subject), t.predicate, mapping.get(t.object, t.object))
            for t in triples]


def _mint(kind: str, *parts: str) -> NamedNode:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
    return ID[f"identity/{kind}/{digest}"]


def identity_triples(graph: NamedNode, council: NamedNode, identity: Identity,
                     updates: list[tuple[str, str, str | None, str]], dues: list[tuple[str, str, str, str | None, str]]
                     ) -> list[Triple]:
    """The council's identity graph: possible duplicates, carried-forward links, status updates in date order and
    due dates revised between documents. ``updates`` are (update, item, date, graph); ``dues`` are (item, due,
    end date, document date, graph), with items under their shared IRIs."""
    from govgraph.ontology import DCTERMS, PROV, SKOS

    out = [Triple(graph, RDF.type, GG.IdentityGraph), Triple(graph, GG.councilOf, council),
           Triple(graph, SKOS.prefLabel, Literal("What the council's documents say about the same things",
                                                 language="en"))]
    for a, b, score in identity.candidates:
        node = _mint("possible-duplicate", a, b)
        out += [Triple(node, RDF.type, GG.PossibleDuplicate), Triple(node, GG.candidate, NamedNode(a)),
                Triple(node, GG.candidate, NamedNode(b)),
                Triple(node, GG.similarity, Literal(f"{score:.1f}", datatype=XSD.decimal))]
    for later, earlier, score in identity.carried:
        out.append(Triple(NamedNode(later), GG.carriedForwardFrom, NamedNode(earlier)))
        link = _mint("carried", later, earlier)
        out += [Triple(link, RDF.type, GG.LinkAssertion), Triple(link, RDF.subject, NamedNode(later)),
                Triple(link, RDF.predicate, GG.carriedForwardFrom), Triple(link, RDF.object, NamedNode(earlier)),
                Triple(link, GG.similarity, Literal(f"{score:.1f}", datatype=XSD.decimal))]
    # status updates of one thing, in date order, each a revision of the one before
    by_item: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for update, item, date, _ in updates:
        if date:
            by_item[item].append((date, update))
    for item, dated in by_item.items():
        dated.sort()
        for (_, before), (_, after) in zip(dated, dated[1:]):
            out.append(Triple(NamedNode(after), PROV.wasRevisionOf, NamedNode(before)))
    # due dates one document gives and a later document changes
    per_item: dict[str, dict[str, tuple[str | None, list[tuple[str, str]]]]] = defaultdict(dict)
    for item, due, end, date, g in dues:
        entry = per_item[item].setdefault(g, (date, []))
        entry[1].append((end, due))
    for item, by_graph in per_item.items():
        dated = sorted(((date, g, max(ends)) for g, (date, ends) in by_graph.items() if date), key=lambda x: x[:2])
        for (_, _, (end_before, due_before)), (date, g, (end_after, due_after)) in zip(dated, dated[1:]):
            if end_before == end_after:
                continue
            revision = _mint("revision", item, due_before, due_after)
            out += [Triple(revision, RDF.type, GG.DueDateRevision), Triple(revision, GG.revisionOf, NamedNode(item)),
                    Triple(revision, GG.previousDue, NamedNode(due_before)),
                    Triple(revision, GG.revisedDue, NamedNode(due_after)),
                    Triple(revision, PROV.wasDerivedFrom, NamedNode(g)),
                    Triple(revision, DCTERMS.date, Literal(date, datatype=_date_type(date)))]
    return list(dict.fromkeys(out))


def _date_type(text: str) -> NamedNode:
    return {10: XSD.date, 7: XSD.gYearMonth}.get(len(text), XSD.gYear)


@dataclass
class Rematched:
    """The graphs one load or removal writes: each document graph of the council as it must now be, and the
    council's identity graph."""

    graphs: dict[NamedNode, list[Triple]]
    identity: Identity


def rematch(store: GraphStore, council: NamedNode, *, new: tuple[NamedNode, list[Triple]] | None = None,
            removed: NamedNode | None = None) -> Rematched:
    """Match the council's documents as they will be once ``new`` is written (a graph name and its triples) or
    ``removed`` is gone, and say what every one of the council's graphs must then hold."""
    graphs_in = [g for g in council_documents(store, council) if g != removed]
    items = council_items(store, council, leave_out=removed)
    updates = [(r["update"].value, r["item"].value, r["date"] and r["date"].value, r["g"].value)
               for r in _per_graph(store, UPDATES, graphs_in)]
    dues = [(r["item"].value, r["due"].value, r["end"].value, r["date"] and r["date"].value, r["g"].value)
            for r in _per_graph(store, DUES, graphs_in)]
    if new is not None:
        graph, triples = new
        scratch = OxigraphStore.memory()
        scratch.replace_graph(graph, triples)
        items = [i for i in items if i.graph != graph] + council_items(scratch, council)
        updates = [u for u in updates if u[3] != graph.value] + [
            (r["update"].value, r["item"].value, r["date"] and r["date"].value, r["g"].value)
            for r in _per_graph(scratch, UPDATES, [graph])]
        dues = [d for d in dues if d[4] != graph.value] + [
            (r["item"].value, r["due"].value, r["end"].value, r["date"] and r["date"].value, r["g"].value)
            for r in _per_graph(scratch, DUES, [graph])]
    identity = match(items)

    # each graph's nodes under their shared IRIs
    renames: dict[str, dict[NamedNode, NamedNode]] = defaultdict(dict)
    current: dict[str, str] = {}
    for item in items:
        shared = identity.canonical[item.graph.value, item.own]
        current[item.node.value] = shared
        if item.node.value != shared:
            renames[item.graph.value][item.node] = NamedNode(shared)
    graphs: dict[NamedNode, list[Triple]] = {}
    for g, mapping in renames.items():
        name = NamedNode(g)
        triples = new[1] if new is not None and name == new[0] else store.triples(name)
        graphs[name] = _rename(triples, mapping)
    if new is not None and new[0] not in graphs:
        graphs[new[0]] = new[1]
    updates = [(u, current.get(i, i), d, g) for u, i, d, g in updates]
    dues = [(current.get(i, i), due, end, date, g) for i, due, end, date, g in dues]
    name = identity_graph(council)
    graphs[name] = identity_triples(name, council, identity, updates, dues)
    return Rematched(graphs, identity)


COUNCIL_OF = queries.PREFIX_BLOCK + "SELECT ?g ?council WHERE { GRAPH ?g { ?g gg:councilOf ?council } }"


def council_of(store: GraphStore, graph: NamedNode) -> NamedNode | None:
    """The council a loaded document is about."""
    rows = store.select(COUNCIL_OF, bindings={"g": graph}).rows
    return rows[0]["council"] if rows else None


def council_in(graph: NamedNode, triples: list[Triple]) -> NamedNode | None:
    """The council a document about to be loaded is about."""
    return next((t.object for t in triples if t.subject == graph and t.predicate == GG.councilOf), None)

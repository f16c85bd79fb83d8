"""Reading printed words (a status, a kind of review) as concepts of the ontology's SKOS schemes.

The labels live in ``ontology/govgraph.ttl`` and nowhere else: adding an ``skos:altLabel`` there teaches every
loader a new spelling.

>>> status_concept("Completed.").value
'https://w3id.org/govgraph/def#status-completed'
>>> status_concept("Work has slipped") is None
True
"""
from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox
from pyoxigraph import NamedNode

from govgraph.ontology import GG, ONTOLOGY_FILE, SKOS, THEMES_FILE


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@lru_cache(maxsize=None)
def scheme_labels(scheme: str) -> dict[str, NamedNode]:
    """Folded preferred and alternative labels of the concepts in ``gg:<scheme>``, longest first."""
    labels: dict[str, NamedNode] = {}
    triples = list(ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE))
    members = {t.subject for t in triples if t.predicate == SKOS.inScheme and t.object == GG[scheme]}
    for t in triples:
        if t.subject in members and t.predicate in (SKOS.prefLabel, SKOS.altLabel):
            labels[_fold(t.object.value)] = t.subject
    return dict(sorted(labels.items(), key=lambda kv: -len(kv[0])))


def status_concept(printed: str | None) -> NamedNode | None:
    """The gg:Statuses concept a printed status names: the whole text, or its first words ("Complete - March
    2021"). Free commentary is not guessed at."""
    if not printed:
        return None
    folded = _fold(printed)
    labels = scheme_labels("Statuses")
    if folded in labels:
        return labels[folded]
    for label, concept in labels.items():
        if folded.startswith(label + " "):
            return concept
    return None


def priority_concept(printed: str | None) -> NamedNode | None:
    """The gg:Priorities concept a printed priority or risk rating names ('Priority 2', 'High', 'Medium risk').

    >>> priority_concept("Priority 1").value
    'https://w3id.org/govgraph/def#priority-high'
    """
    if not printed:
        return None
    return scheme_labels("Priorities").get(_fold(printed))


def review_kind_concept(text: str | None) -> NamedNode | None:
    """The gg:ReviewKinds concept a review's title mentions, if any."""
    if not text:
        return None
    folded = f" {_fold(text)} "
    for label, concept in scheme_labels("ReviewKinds").items():
        if f" {label} " in folded:
            return concept
    return None


@lru_cache(maxsize=1)
def theme_keywords() -> dict[NamedNode, dict[NamedNode, list[str]]]:
    """For each shared theme scheme, its concepts and the words (hidden labels) that point a theme at them."""
    triples = list(ox.parse(path=str(THEMES_FILE), format=ox.RdfFormat.TURTLE))
    scheme_of = {t.subject: t.object for t in triples if t.predicate == SKOS.inScheme}
    out: dict[NamedNode, dict[NamedNode, list[str]]] = {}
    for t in triples:
        if t.predicate == SKOS.hiddenLabel and t.subject in scheme_of:
            out.setdefault(scheme_of[t.subject], {}).setdefault(t.subject, []).append(_fold(t.object.value))
    return out


def shared_themes(name: str) -> list[NamedNode]:
    """The concepts of the shared schemes (LGA core components, CIPFA/SOLACE principles) a council's theme falls
    under: in each scheme, the one concept whose words the theme name uses most, if one clearly wins.

    >>> [c.value.rsplit("/", 1)[1] for c in shared_themes("Financial planning")]
    ['lga-cpc-4']
    """
    folded = f" {_fold(name)} "
    found = []
    for concepts in theme_keywords().values():
        scores = sorted(((sum(1 for w in words if f" {w} " in folded or f" {w}s " in folded), c)
                         for c, words in concepts.items()),
                        key=lambda sc: -sc[0])
        if scores and scores[0][0] > 0 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
            found.append(scores[0][1])
    return found

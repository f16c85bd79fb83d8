"""Turn an :class:`~govgraph.loaders.model.ExtractedDocument` into triples of the govgraph ontology.

One function, :func:`document_triples`, used by every document loader, so what a tracker row and a Word table
say ends up shaped the same. Identity rules (so that the same thing read from two documents is one node):

- council: by name; review and plan: by council and review title;
- recommendation and action: by review and the document's own number (by position where unnumbered);
- officer post: one per council per title key (:func:`~govgraph.loaders.names.post_key`), variant spellings
  kept as ``skos:altLabel``; oversight body: per council per name key, abbreviations resolved against the
  bodies the same document names in full; person: per council per name.

Everything else (evidence spans, due dates, status updates, reified links) is minted under the document IRI,
so replacing a document's graph replaces them too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from govgraph.loaders import dates, names
from govgraph.loaders.councils import resolve as resolve_council
from govgraph.loaders.confidence import POSITION, confidence, method_slug
from govgraph.loaders.model import Action, ExtractedDocument, Mention, Milestone, PersonMention, Span
from govgraph.loaders.vocabulary import review_kind_concept, shared_themes, status_concept
from govgraph.ontology import CV, DCTERMS, FOAF, GG, ID, OA, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, XSD

#: The ONS's linked-data IRIs of statistical geographies (a local authority's area), by GSS code.
STATISTICAL_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"

RFC7111 = NamedNode("http://tools.ietf.org/rfc/rfc7111")


def document_iri(stem: str) -> NamedNode:
    """The IRI of a source document, which is also the name of the graph holding its facts."""
    return ID[f"document/{names.slug(stem)}"]


def literal_date(text: str) -> Literal | None:
    """A typed literal for a YYYY, YYYY-MM or YYYY-MM-DD date."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Literal(text, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return Literal(text, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    return None


@dataclass
class _Emitter:
    doc: ExtractedDocument
    graph: NamedNode
    triples: list[Triple] = field(default_factory=list)
    counter: int = 0
    posts: dict[str, NamedNode] = field(default_factory=dict)
    post_labels: dict[NamedNode, list[str]] = field(default_factory=dict)
    bodies: dict[str, NamedNode] = field(default_factory=dict)
    body_labels: dict[NamedNode, list[str]] = field(default_factory=dict)
    persons: dict[str, NamedNode] = field(default_factory=dict)
    teams: dict[str, NamedNode] = field(default_factory=dict)
    team_labels: dict[NamedNode, list[str]] = field(default_factory=dict)

    def add(self, s, p, o) -> None:
        self.triples.append(Triple(s, p, o))

    def label(self, node, text: str) -> None:
        self.add(node, RDFS.label, Literal(names.clean(text) or text))

    def mint(self, kind: str) -> NamedNode:
        self.counter += 1
        return NamedNode(f"{self.graph.value}#{kind}-{self.counter}")

    # --- provenance ----------------------------------------------------------------------------------------------

    def evidence(self, node, span: Span | None) -> None:
        """Say that ``node`` was read from the document, and from exactly which text."""
        if span is None:
            return
        ev = self.mint("span")
        self.add(node, GG.evidence, ev)
        self.add(ev, RDF.type, OA.SpecificResource)
        self.add(ev, OA.hasSource, self.graph)
        quote = NamedNode(ev.value + "-quote")
        self.add(ev, OA.hasSelector, quote)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(span.quote))
        if span.start is not None and span.end is not None:
            pos = NamedNode(ev.value + "-position")
            self.add(ev, OA.hasSelector, pos)
            self.add(pos, RDF.type, OA.TextPositionSelector)
            self.add(pos, OA.start, Literal(str(span.start), datatype=XSD.nonNegativeInteger))
            self.add(pos, OA.end, Literal(str(span.end), datatype=XSD.nonNegativeInteger))
        if span.fragment:
            frag = NamedNode(ev.value + "-cell")
            self.add(ev, OA.hasSelector, frag)
            self.add(frag, RDF.type, OA.FragmentSelector)
            self.add(frag, RDF.value, Literal(span.fragment))
            self.add(frag, DCTERMS.conformsTo, RFC7111)
        if span.line is not None:
            self.add(ev, GG.sourceLine, Literal(str(span.line), datatype=XSD.integer))

    def link(self, s, p, o, span: Span | None, printed: str | None = None, how: str | None = None) -> None:
        """Assert ``s p o`` and, where the text is known, a reified copy carrying its evidence, the words the
        document used for the object (a post title as printed, say) and how the link was read."""
        self.add(s, p, o)
        if span is None and printed is None:
            return
        statement = self.mint("link")
        self.add(statement, RDF.type, GG.LinkAssertion)
        self.add(statement, RDF.subject, s)
        self.add(statement, RDF.predicate, p)
        self.add(statement, RDF.object, o)
        self.add(statement, PROV.wasDerivedFrom, self.graph)
        if printed:
            self.add(statement, GG.printedAs, Literal(printed))
        self.evidence(statement, span)
        if how is not None:
            self.read_by(statement, how)

    def read_by(self, node, how: str | None) -> None:
        """How ``node`` was read and the confidence that gives it (:mod:`govgraph.loaders.confidence`)."""
        self.add(node, GG.readBy, GG[method_slug(how)])
        self.add(node, GG.confidence, Literal(f"{confidence(how):.2f}", datatype=XSD.decimal))

    def derived(self, node, span: Span | None, position: int | None = None) -> None:
        self.add(node, PROV.wasDerivedFrom, self.graph)
        self.evidence(node, span)
        if position is not None:
            self.add(node, GG.position, Literal(str(position), datatype=XSD.integer))

    # --- named things --------------------------------------------------------------------------------------------

    def post(self, title: str, council: NamedNode, council_slug: str) -> NamedNode | None:
        key = names.post_key(self._expanded_title(names.clean(title)))
        if not key:
            return None
        return self._named(self.posts, self.post_labels, key, ID[f"post/{council_slug}/{names.slug(key)}"],
                           (GG.OfficerPost, ORG.Post), (ORG.postIn, council), names.clean(title))

    def _named(self, nodes: dict, labels: dict, key: str, iri: NamedNode, types, link, printed: str) -> NamedNode:
        """One node per key (a post's or team's normalised name) with its types and its link to the council, and
        every spelling the document printed for it, for :meth:`finish_labels`."""
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = iri
            for cls in types:
                self.add(node, RDF.type, cls)
            self.add(node, *link)
            labels[node] = []
        if printed not in labels[node]:
            labels[node].append(printed)
        return node

    def _expanded_title(self, title: str) -> str:
        """'Director of R&H' is 'Director of Resources and Housing' when the document names that post too: an
        abbreviation inside a title is expanded to the words of another title of the document whose initials it
        is."""
        tokens = re.findall(r"\b[A-Z][A-Z&]{1,5}\b", title)
        if not tokens:
            return title
        for token in tokens:
            for other in self._titles():
                words = other.split()
                for i in range(len(words)):
                    for j in range(i + 2, min(len(words), i + 6) + 1):
                        phrase = " ".join(words[i:j])
                        if not phrase[0].isupper() or phrase.split()[-1] in ("and", "of", "&"):
                            continue
                        if names.expands_to(token, phrase):
                            candidate = title.replace(token, phrase)
                            if names.post_key(candidate) in {names.post_key(t) for t in self._titles()}:
                                return candidate
        return title

    def _titles(self) -> list[str]:
        if not hasattr(self, "_title_cache"):
            found = [m.text for m in self.doc.roles]
            for action in self.doc.actions:
                found += [m.text for m in action.owners]
                for milestone in action.milestones:
                    found += [m.text for m in milestone.owners]
            self._title_cache = [names.clean(t) for t in found if not re.search(r"\b[A-Z][A-Z&]{1,5}\b", t)]
        return self._title_cache

    def body(self, name: str, council: NamedNode, council_slug: str) -> NamedNode | None:
        printed = names.clean(name)
        key = names.body_key(printed)
        if not key:
            return None
        node = self.bodies.get(key) or self._abbreviated_body(printed, council, council_slug)
        if node is None:
            node = self.bodies[key] = ID[f"body/{council_slug}/{names.slug(names.post_key(printed))}"]
            self.add(node, RDF.type, GG.OversightBody)
            self.add(node, RDF.type, ORG.OrganizationalUnit)
            self.add(node, ORG.unitOf, council)
            kind = names.body_kind(printed)
            if kind:
                self.add(node, GG.bodyKind, GG[f"body-{kind}"])
            self.body_labels[node] = []
        self.bodies.setdefault(key, node)
        if printed not in self.body_labels[node]:
            self.body_labels[node].append(printed)
        return node

    def _abbreviated_body(self, printed: str, council: NamedNode, council_slug: str) -> NamedNode | None:
        """An abbreviation ("CGAC") means the body whose initials it is, among those this document names; a body
        named by one word ("Executive", "Council") the body whose name it starts or ends ("Executive Board",
        "Full Council")."""
        for full in self._body_names():
            if full != printed and names.expands_to(printed, full):
                return self.body(full, council, council_slug)
        if len(printed.split()) == 1:
            low = printed.lower()
            for full in self._body_names():
                if full.lower().startswith(low + " ") or full.lower().endswith(" " + low):
                    return self.body(full, council, council_slug)
        return None

    def _body_names(self) -> list[str]:
        found = [m.text for m in self.doc.bodies] + [m.text for m in self.doc.plan_oversight]
        for action in self.doc.actions:
            found += [m.text for m in action.oversight]
            for milestone in action.milestones:
                found += [m.text for m in milestone.oversight]
        return [names.clean(t) for t in found if not re.sub(r"[^A-Za-z]", "", t).isupper()]

    def team(self, name: str, council: NamedNode, council_slug: str) -> NamedNode | None:
        printed = names.clean(name)
        key = names.body_key(printed)
        if not key:
            return None
        return self._named(self.teams, self.team_labels, key,
                           ID[f"team/{council_slug}/{names.slug(names.post_key(printed))}"],
                           (GG.Team, ORG.OrganizationalUnit), (ORG.unitOf, council), printed)

    def person(self, mention: PersonMention, council_slug: str) -> NamedNode:
        name = names.clean(mention.name)
        node = self.persons.get(name.lower())
        if node is None:
            node = self.persons[name.lower()] = ID[f"person/{council_slug}/{names.slug(name)}"]
            self.add(node, RDF.type, GG.Person)
            self.add(node, RDF.type, FOAF.Person)
            self.add(node, FOAF.name, Literal(name))
            self.label(node, name)
        return node

    def finish_labels(self) -> None:
        for labels in (self.post_labels, self.body_labels, self.team_labels):
            for node, printed in labels.items():
                if not printed:
                    continue
                # the fullest printed form names the thing; the others are alternative labels
                preferred = max(printed, key=lambda t: (not re.fullmatch(r"[A-Z&]{2,8}s?", t), "(" not in t, len(t)))
                self.add(node, RDFS.label, Literal(preferred))
                self.add(node, SKOS.prefLabel, Literal(preferred, language="en"))
                for alt in printed:
                    if alt != preferred:
                        self.add(node, SKOS.altLabel, Literal(alt, language="en"))


def document_triples(doc: ExtractedDocument, *, graph: NamedNode | None = None) -> tuple[NamedNode, list[Triple]]:
    """The triples for one extracted document, and the named graph they belong in.

    :raises ValueError: the document names no council (loaders must ask for ``--council`` first).
    """
    if not doc.council:
        raise ValueError(f"{doc.path}: no council is named; pass --council NAME")
    graph = graph or document_iri(doc.path.stem)
    e = _Emitter(doc, graph)
    council_slug = names.slug(doc.council)
    council = ID[f"council/{council_slug}"]
    context_year = int(doc.published[:4]) if doc.published else None

    # the document
    e.add(graph, RDF.type, GG.SourceDocument)
    e.add(graph, RDF.type, PROV.Entity)
    e.add(graph, DCTERMS.title, Literal(doc.title or doc.path.name))
    e.add(graph, DCTERMS.source, Literal(doc.path.name))
    e.add(graph, GG.sha256, Literal(doc.sha256))
    e.add(graph, GG.documentKind, Literal(doc.kind))
    e.add(graph, GG.councilOf, council)
    if doc.published and (issued := literal_date(doc.published)):
        e.add(graph, DCTERMS.issued, issued)

    # the council
    e.add(council, RDF.type, GG.Council)
    e.add(council, RDF.type, CV.PublicOrganisation)
    e.add(council, RDF.type, ORG.FormalOrganization)
    e.label(council, doc.council)
    e.add(council, SKOS.prefLabel, Literal(names.clean(doc.council), language="en"))
    if (known := resolve_council(doc.council)) and known.gss:  # its area's ONS code, and the area as linked data
        e.add(council, ORG.identifier, Literal(known.gss[0], datatype=GG.gssCode))
        e.add(council, DCTERMS.spatial, NamedNode(STATISTICAL_GEOGRAPHY + known.gss[0]))

    # the review and the plan answering it
    review_title = names.clean(doc.review) if doc.review else f"Review not named in {doc.title or doc.path.name}"
    review_slug = names.slug(doc.review) if doc.review else names.slug(doc.path.stem)
    review = ID[f"review/{council_slug}/{review_slug}"]
    e.add(review, RDF.type, GG.Review)
    e.add(review, RDF.type, PROV.Activity)
    e.label(review, review_title)
    e.add(review, GG.reviewOf, council)
    kind = GG[f"review-{doc.review_kind}"] if doc.review_kind else review_kind_concept(doc.review)
    if kind:
        e.add(review, GG.reviewKind, kind)
    plan = ID[f"plan/{council_slug}/{review_slug}"]
    e.add(plan, RDF.type, GG.Plan)
    e.label(plan, f"Action plan: {review_title}")
    e.add(plan, GG.respondsToReview, review)
    e.add(plan, GG.councilOf, council)
    e.add(graph, GG.describesPlan, plan)
    plan_bodies = []
    for mention in doc.plan_oversight:
        body = e.body(mention.text, council, council_slug)
        if body is not None:
            e.link(plan, GG.overseenBy, body, mention.span, names.clean(mention.text), mention.how or POSITION)
            plan_bodies.append((body, mention.span, names.clean(mention.text)))

    # themes, as the document's own concept scheme
    themes: dict[str, NamedNode] = {}
    if doc.themes:
        scheme = ID[f"themes/{council_slug}/{review_slug}"]
        e.add(scheme, RDF.type, SKOS.ConceptScheme)
        e.label(scheme, f"Themes of {review_title}")
        for position, theme in enumerate(doc.themes, 1):
            node = themes[theme.key] = NamedNode(f"{scheme.value}/{names.slug(theme.name)}")
            e.add(node, RDF.type, SKOS.Concept)
            e.add(node, SKOS.inScheme, scheme)
            e.add(node, SKOS.prefLabel, Literal(names.clean(theme.name), language="en"))
            e.label(node, theme.name)
            e.derived(node, theme.span, position)
            for concept in shared_themes(theme.name):
                e.add(node, SKOS.broadMatch, concept)

    # recommendations, then actions: numbered items keep the document's number in their IRI (so the same action
    # read from a plan and from its progress report is one node); unnumbered ones their position
    def numbered(items, kind: str, types, links) -> list[NamedNode]:
        numbers = [i.number for i in items if i.number]
        unique = len(numbers) == len(set(numbers))
        nodes = []
        for position, item in enumerate(items, 1):
            local = item.number if item.number and unique else f"{names.slug(doc.path.stem)}-{position}"
            node = ID[f"{kind}/{council_slug}/{review_slug}/{names.slug(local)}"]
            for cls in types:
                e.add(node, RDF.type, cls)
            for predicate, value in links:
                e.add(node, predicate, value)
            e.add(node, DCTERMS.description, Literal(names.collapse(item.text)))
            e.label(node, names.first_sentence(item.text))
            if item.number:
                e.add(node, DCTERMS.identifier, Literal(item.number))
            if item.theme in themes:
                e.add(node, GG.theme, themes[item.theme])
            e.derived(node, item.span, position)
            e.read_by(node, item.how)
            e.add(node, GG.readAs, Literal(node.value, datatype=XSD.anyURI))
            nodes.append(node)
        return nodes

    rec_nodes = numbered(doc.recommendations, "recommendation", (GG.Recommendation, PROV.Entity),
                         ((GG.issuedBy, review), (GG.councilOf, council)))
    recs = {rec.key: node for rec, node in zip(doc.recommendations, rec_nodes)}
    action_nodes = numbered(doc.actions, "action", (GG.Action, SCHEMA.PlanAction),
                            ((GG.actionOfPlan, plan), (GG.councilOf, council)))
    for action, node in zip(doc.actions, action_nodes):
        for key in action.responds_to:
            if key in recs:
                e.link(node, GG.respondsTo, recs[key], action.span, how=action.how)
        _commitment(e, node, action, council, council_slug, context_year, action.how)
        for body, span, printed in plan_bodies:
            e.link(node, GG.inheritedOversight, body, span, printed, how=POSITION)
        if action.status:
            _status(e, node, action, context_year)
        for m_position, milestone in enumerate(action.milestones, 1):
            m_node = NamedNode(f"{node.value}/milestone/{names.slug(doc.path.stem)}-{m_position}")
            e.add(m_node, RDF.type, GG.Milestone)
            e.add(m_node, GG.milestoneOf, node)
            e.add(node, GG.hasMilestone, m_node)
            e.add(m_node, DCTERMS.description, Literal(names.collapse(milestone.text)))
            e.label(m_node, names.first_sentence(milestone.text))
            e.derived(m_node, milestone.span, m_position)
            e.read_by(m_node, action.how)
            _commitment(e, m_node, milestone, council, council_slug, context_year, action.how)

    # everything named anywhere in the document
    for mention in doc.bodies:
        e.body(mention.text, council, council_slug)
    for mention in doc.roles:
        if names.is_team(mention.text):
            e.team(mention.text, council, council_slug)
        else:
            e.post(mention.text, council, council_slug)
    for person in doc.people:
        _person(e, None, person, council, council_slug)

    for what, value in doc.stated_counts.items():
        count = NamedNode(f"{graph.value}#count-{names.slug(what)}")
        counted = {"recommendations": GG.Recommendation, "actions": GG.Action, "milestones": GG.Milestone,
                   "themes": SKOS.Concept}.get(what)
        if counted is None:
            continue
        e.add(graph, GG.statedCount, count)
        e.add(count, RDF.type, GG.StatedCount)
        e.add(count, GG.countOf, counted)
        e.add(count, GG.countValue, Literal(str(value), datatype=XSD.integer))

    e.finish_labels()
    return graph, list(dict.fromkeys(e.triples))


def _commitment(e: _Emitter, node: NamedNode, item: Action | Milestone, council: NamedNode,
                council_slug: str, context_year: int | None, how: str | None) -> None:
    """Owners, oversight, people and due dates: the links an action and a milestone share, each read the way its
    value says, or else the way the action was (``how``)."""
    for mention in item.owners:
        if _is_gap(mention.text):
            e.add(node, GG.statedGap, Literal(f"accountable officer given as '{names.clean(mention.text)}'"))
            continue
        if names.is_team(mention.text):
            team = e.team(mention.text, council, council_slug)
            if team is not None:
                e.link(node, GG.accountableUnit, team, mention.span, names.clean(mention.text), mention.how or how)
            continue
        post = e.post(mention.text, council, council_slug)
        if post is not None:
            e.link(node, GG.accountablePost, post, mention.span, names.clean(mention.text), mention.how or how)
    for mention in item.oversight:
        if _is_gap(mention.text):
            e.add(node, GG.statedGap, Literal(f"oversight given as '{names.clean(mention.text)}'"))
            continue
        body = e.body(mention.text, council, council_slug)
        if body is not None:
            e.link(node, GG.overseenBy, body, mention.span, names.clean(mention.text), mention.how or how)
    for person in item.people:
        _person(e, node, person, council, council_slug, how)
    for mention in item.due:
        due = _due(e, mention, context_year)
        e.link(node, GG.due, due, mention.span, how=mention.how or how)
        interval = dates.read_due(mention.text, context_year=context_year)
        if not interval.readable:
            e.add(node, GG.statedGap, Literal(f"due date given as '{interval.printed}'"))


def _is_gap(text: str) -> bool:
    return bool(dates.UNREADABLE.match(names.clean(text).lower() or "?"))


def _person(e: _Emitter, node: NamedNode | None, mention: PersonMention, council: NamedNode,
            council_slug: str, how: str | None = None) -> None:
    person = e.person(mention, council_slug)
    if node is not None:
        e.link(node, GG.contact, person, mention.span, names.clean(mention.name), how)
    if mention.post:
        post = e.post(mention.post, council, council_slug)
        if post is not None:
            e.link(post, ORG.heldBy, person, mention.span)


def _due(e: _Emitter, mention: Mention, context_year: int | None) -> NamedNode:
    interval = dates.read_due(mention.text, context_year=context_year)
    node = e.mint("due")
    e.add(node, RDF.type, GG.DueDate)
    e.add(node, GG.printedAs, Literal(interval.printed))
    e.label(node, interval.printed)
    e.add(node, GG.readable, Literal(interval.readable))
    if interval.ongoing:
        e.add(node, GG.ongoing, Literal(True))
    if interval.year_inferred:
        e.add(node, GG.yearInferred, Literal(True))
    for prop, day in ((TIME.hasBeginning, interval.start), (TIME.hasEnd, interval.end)):
        if day is not None:
            instant = NamedNode(f"{node.value}-{'start' if prop == TIME.hasBeginning else 'end'}")
            e.add(node, prop, instant)
            e.add(instant, RDF.type, TIME.Instant)
            e.add(instant, TIME.inXSDDate, Literal(day.isoformat(), datatype=XSD.date))
    return node


def _status(e: _Emitter, node: NamedNode, action: Action, context_year: int | None) -> None:
    report = action.status
    update = e.mint("status")
    e.add(update, RDF.type, GG.StatusUpdate)
    e.add(update, RDF.type, PROV.Entity)
    e.add(update, GG.statusOf, node)
    e.add(update, PROV.wasDerivedFrom, e.graph)
    e.read_by(update, action.how)
    if e.doc.published and (when := literal_date(e.doc.published)):
        e.add(update, DCTERMS.date, when)
    concept = status_concept(report.printed)
    if concept is not None:
        e.add(update, GG.status, concept)
    if report.printed:
        e.add(update, GG.statusAsPrinted, Literal(names.clean(report.printed)))
    if report.progress:
        e.add(update, GG.progressNote, Literal(names.collapse(report.progress)))
    e.evidence(update, report.span)
    if report.revised_to:
        revision = e.mint("revision")
        e.add(revision, RDF.type, GG.DueDateRevision)
        e.add(revision, GG.revisionOf, node)
        e.add(revision, PROV.wasDerivedFrom, e.graph)
        if e.doc.published and (when := literal_date(e.doc.published)):
            e.add(revision, DCTERMS.date, when)
        for mention in report.revised_from:
            e.add(revision, GG.previousDue, _due(e, mention, context_year))
        for mention in report.revised_to:
            e.add(revision, GG.revisedDue, _due(e, mention, context_year))
        if report.reason:
            e.add(revision, GG.reason, Literal(names.collapse(report.reason)))
        e.evidence(revision, report.span)


"""A synthetic corpus of council documents in the proportions of the samples, written as govgraph's loaders write it.

Each council gets one review every few years (a peer challenge, a governance statement, an audit, ...), each review
an action plan and, for some, a later progress update; every plan has recommendations, actions, milestones, posts,
oversight bodies, people, themes, due dates and statuses in the proportions measured on ``samples/`` (see the
constants below). Each document is turned into triples by the loaders' own emitter
(:func:`govgraph.loaders.emit.document_triples`) and matched with its council's other documents by the service
layer's match step (:func:`govgraph.server.service.write_document`), in a scratch store holding one council only,
so the N-Quads written are exactly what loading the same documents would store (one named graph per document with
its ``gg:SourceDocument`` node and provenance, one identity graph per council) while memory stays bounded by one
council, whatever the corpus size.

    python -m benchmarks.corpus --councils 10 OUT.nq       # by councils
    python -m benchmarks.corpus --triples 1000000 OUT.nq   # by size (councils added until the size is reached)
    python -m benchmarks.corpus --documents 3 OUTDIR       # council documents as text, Word and PDF files

The same seed gives the same corpus.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# --- proportions measured on the samples ------------------------------------------------------------------------
# Measured by loading samples/documents and samples/trackers (6 documents, 3 councils, 31,005 quads with the
# vocabulary) into a memory store with govgraph.server.service.load_paths and counting with SPARQL per document
# graph (GRAPH ?g { ?a a gg:Action . OPTIONAL { ?a gg:accountablePost ?p } ... } GROUP BY ?g ?a, then summed):
# 177 actions in 6 documents, 41 recommendations in the 4 documents that list any, 238 owner links, 59 actions
# with no owner, 135 with no oversight body of their own, 37 with no due date, 79 status updates, 62 milestones
# (51 with a due date), 24 named contacts; posts, bodies and people per document 124, 84 and 26 in all; 2 of 6
# documents group their items under themes (4 themes each); 3 of 6 name bodies overseeing the whole plan (7).
ACTIONS_PER_DOCUMENT = 177 / 6
SHARE_OF_DOCUMENTS_WITH_RECOMMENDATIONS = 4 / 6
RECOMMENDATIONS_PER_DOCUMENT = 41 / 4  # in the documents that list recommendations
OWNERS_PER_OWNED_ACTION = 238 / (177 - 59)
SHARE_WITHOUT_OWNER = 59 / 177
SHARE_WITHOUT_OVERSIGHT = 135 / 177
SHARE_WITHOUT_DUE_DATE = 37 / 177
SHARE_WITH_STATUS = 79 / 177
MILESTONES_PER_ACTION = 62 / 177
SHARE_OF_MILESTONES_WITH_DUE_DATE = 51 / 62
SHARE_WITH_CONTACT = 24 / 177
POSTS_PER_DOCUMENT = 124 / 6
BODIES_PER_DOCUMENT = 84 / 6
PEOPLE_PER_DOCUMENT = 26 / 6
SHARE_OF_DOCUMENTS_WITH_THEMES = 2 / 6
THEMES_PER_THEMED_DOCUMENT = 4
SHARE_OF_DOCUMENTS_WITH_PLAN_OVERSIGHT = 3 / 6
PLAN_OVERSIGHT_BODIES = 7 / 3
#: Status updates by status as printed (in progress 40, completed 26, revised timescale 8, on track 4, slippage 1).
STATUS_MIX = {"In progress": 40, "Completed": 26, "Revised timescale": 8, "On track": 4, "Slippage": 1}
#: In the samples every recommendation has an action (0 of 41 without); one in 20 is left without here so that the
#: coverage-gap query has answers to return and time. This is the one proportion not taken from the samples.
SHARE_OF_RECOMMENDATIONS_WITHOUT_ACTIONS = 1 / 20

# --- the shape of a council's history -----------------------------------------------------------------------------
#: ~400 councils x 20 years is the ~10M-triple target: one review every 5 years, half of them with a progress
#: update, is 6 documents and about 25,000 triples per council.
YEARS = 20
REVIEW_EVERY = 5
SHARE_OF_REVIEWS_WITH_UPDATE = 0.5
FIRST_YEAR = 2005

REVIEWS = [("LGA Corporate Peer Challenge", "peer-challenge"), ("Annual Governance Statement", "governance-statement"),
           ("External Audit Annual Report", "audit"), ("Ofsted Inspection", "inspection"),
           ("Corporate Improvement Plan", "improvement-plan")]
THEMES = ["Governance and decision-making", "Financial planning and viability", "Capacity for improvement",
          "Place and partnerships", "Priorities and outcomes", "Risk management and internal control",
          "Transparency and reporting", "Engagement with residents"]
POSTS = ["Chief Executive", "Director of Resources", "Director of Children and Families", "Director of Adults and Health",
         "Director of City Development", "Director of Communities, Housing and Environment", "Chief Finance Officer",
         "Head of Internal Audit", "Head of Democratic Services", "Monitoring Officer", "Head of Human Resources",
         "Chief Digital and Information Officer", "Head of Procurement", "Head of Policy and Performance",
         "Service Director for Legal and Governance", "Head of Communications", "Chief Officer Financial Services",
         "Head of Risk and Insurance", "Strategic Director for Place", "Head of Corporate Programmes",
         "Service Director for Housing", "Head of Workforce Development", "Director of Public Health",
         "Head of Information Governance", "Chief Officer Strategy and Improvement", "Deputy Chief Executive",
         "Head of Commissioning", "Head of Estates", "Chief Planning Officer", "Leader of the Council"]
BODIES = ["Executive Board", "Audit and Governance Committee", "Strategy and Resources Scrutiny Board", "Cabinet",
          "Corporate Leadership Team", "Overview and Scrutiny Management Committee", "Standards Committee",
          "Health and Wellbeing Board", "Children and Families Scrutiny Board", "Corporate Governance Board",
          "Finance Performance Board", "Transformation Programme Board", "Risk Management Group",
          "Information Governance Board", "Member Development Working Group", "Place Partnership Board",
          "Adults Social Care Scrutiny Panel", "Housing Scrutiny Panel", "Digital Programme Board",
          "Workforce Strategy Group"]
FIRST_NAMES = ["Alex", "Sam", "Priya", "Tom", "Aisha", "James", "Fatima", "Mark", "Helen", "Imran", "Claire", "Owen"]
LAST_NAMES = ["Patel", "Smith", "Khan", "Jones", "Taylor", "Brown", "Ahmed", "Wilson", "Evans", "Hughes", "Walsh"]
VERBS = ["Review", "Refresh", "Strengthen", "Publish", "Develop", "Embed", "Introduce", "Evaluate", "Agree", "Deliver",
         "Update", "Establish"]
OBJECTS = ["the risk management framework", "the medium term financial strategy", "member development programme",
           "the scrutiny work programme", "the constitution and scheme of delegation", "the workforce strategy",
           "the performance management framework", "the procurement strategy", "the corporate plan",
           "the information governance policy", "the commissioning approach", "the budget monitoring arrangements",
           "the digital strategy", "locality working arrangements", "the partnership governance framework",
           "the asset management plan", "the equality, diversity and inclusion strategy", "the complaints process",
           "the code of conduct training", "the internal audit plan"]
PURPOSES = ["so that members can hold officers to account", "to improve the quality of decisions",
            "to secure financial sustainability", "with a clear timetable and named leads",
            "and report progress to the oversight body quarterly", "to address the concerns raised by the review",
            "drawing on good practice from other councils", "with residents and partners"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass(frozen=True)
class Profile:
    """The shape of each council's history: ``years`` of reviews, one every ``review_every`` years."""

    years: int = YEARS
    review_every: int = REVIEW_EVERY

    @property
    def reviews(self) -> int:
        return max(1, self.years // self.review_every)


def council_name(index: int) -> str:
    return f"Benchmark Council {index:04d}"


def _count(rng: random.Random, mean: float) -> int:
    """A whole number whose mean over many draws is ``mean``."""
    whole = int(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


def _due(rng: random.Random, year: int) -> str:
    return f"{rng.choice(MONTHS)} {year + rng.randint(0, 2)}"


def _text(rng: random.Random, council: int, review: int, n: int, kind: str) -> str:
    verb, obj, purpose = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(PURPOSES)
    return f"{verb} {obj} {purpose} ({kind} {n} of review {review + 1}, council {council})."


def council_documents(index: int, profile: Profile = Profile(), *, seed: int = 0):
    """The documents of one council as the loaders would have read them: a list of
    :class:`~govgraph.loaders.model.ExtractedDocument`, oldest first."""
    from govgraph.loaders.model import (
        Action,
        ExtractedDocument,
        Mention,
        Milestone,
        PersonMention,
        Recommendation,
        Span,
        StatusReport,
        Theme,
    )

    rng = random.Random(f"{seed}:{index}")
    name = council_name(index)
    posts = rng.sample(POSTS, k=min(len(POSTS), round(POSTS_PER_DOCUMENT * 1.3)))
    bodies = rng.sample(BODIES, k=min(len(BODIES), round(BODIES_PER_DOCUMENT * 1.3)))
    people = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(12)]
    statuses = list(STATUS_MIX)
    weights = list(STATUS_MIX.values())
    out = []
    for r in range(profile.reviews):
        year = FIRST_YEAR + r * profile.review_every + rng.randint(0, profile.review_every - 1)
        review_title, review_kind = REVIEWS[(index + r) % len(REVIEWS)]
        review = f"{review_title} {year}"
        line = iter(range(1, 100_000))
        doc_posts = rng.sample(posts, k=min(len(posts), _count(rng, POSTS_PER_DOCUMENT)))
        doc_bodies = rng.sample(bodies, k=min(len(bodies), _count(rng, BODIES_PER_DOCUMENT)))
        doc_people = rng.sample(people, k=min(len(people), _count(rng, PEOPLE_PER_DOCUMENT)))
        themed = rng.random() < SHARE_OF_DOCUMENTS_WITH_THEMES
        themes = [Theme(f"t{i}", t, Span(t, line=next(line)))
                  for i, t in enumerate(rng.sample(THEMES, k=THEMES_PER_THEMED_DOCUMENT))] if themed else []
        recs = []
        if rng.random() < SHARE_OF_DOCUMENTS_WITH_RECOMMENDATIONS:
            for i in range(max(1, _count(rng, RECOMMENDATIONS_PER_DOCUMENT))):
                text = _text(rng, index, r, i + 1, "recommendation")
                recs.append(Recommendation(f"r{i}", text, str(i + 1), theme=rng.choice(themes).key if themes else None,
                                           span=Span(text, line=next(line))))
        answered = [rec for rec in recs if rng.random() >= SHARE_OF_RECOMMENDATIONS_WITHOUT_ACTIONS] or recs[:1]
        actions = []
        for i in range(max(1, _count(rng, ACTIONS_PER_DOCUMENT))):
            text = _text(rng, index, r, i + 1, "action")
            at = next(line)

            def mention(value: str, at: int = at) -> Mention:
                return Mention(value, Span(value, line=at))

            owners = [] if rng.random() < SHARE_WITHOUT_OWNER else [
                mention(p) for p in rng.sample(doc_posts, k=min(len(doc_posts), max(1, _count(
                    rng, OWNERS_PER_OWNED_ACTION))))]
            oversight = [] if rng.random() < SHARE_WITHOUT_OVERSIGHT or not doc_bodies else [
                mention(rng.choice(doc_bodies))]
            due = [] if rng.random() < SHARE_WITHOUT_DUE_DATE else [mention(_due(rng, year))]
            contact = [PersonMention(rng.choice(doc_people), span=Span("contact", line=at))] if (
                doc_people and rng.random() < SHARE_WITH_CONTACT) else []
            milestones = [Milestone(f"Milestone {m + 1}: {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}",
                                    due=[mention(_due(rng, year))] if rng.random() < SHARE_OF_MILESTONES_WITH_DUE_DATE
                                    else [], span=Span("milestone", line=at))
                          for m in range(_count(rng, MILESTONES_PER_ACTION))]
            status = (StatusReport(rng.choices(statuses, weights)[0], span=Span("status", line=at))
                      if rng.random() < SHARE_WITH_STATUS else None)
            responds = [rng.choice(answered).key] if answered else []
            actions.append(Action(f"a{i}", text, str(i + 1), responds_to=responds,
                                  theme=rng.choice(themes).key if themes else None, owners=owners,
                                  oversight=oversight, people=contact, due=due, status=status,
                                  milestones=milestones, span=Span(text, line=at)))
        for a, rec in zip(actions, answered):  # every answered recommendation has at least one action
            if rec.key not in a.responds_to:
                a.responds_to = [rec.key]
        plan_oversight = ([Mention(b) for b in rng.sample(doc_bodies, k=min(len(doc_bodies), _count(
            rng, PLAN_OVERSIGHT_BODIES)))] if rng.random() < SHARE_OF_DOCUMENTS_WITH_PLAN_OVERSIGHT else [])
        slug = f"benchmark-council-{index:04d}-{year}"
        plan = ExtractedDocument(
            path=Path(f"{slug}-action-plan.txt"), sha256=hashlib.sha256(f"{slug}-plan".encode()).hexdigest(),
            kind="action plan", council=name, title=f"{review} action plan", published=f"{year}-{rng.randint(1, 12):02d}",
            review=review, review_kind=review_kind, themes=themes, recommendations=recs, actions=actions,
            plan_oversight=plan_oversight, bodies=[Mention(b) for b in doc_bodies],
            roles=[Mention(p) for p in doc_posts], people=[PersonMention(p) for p in doc_people],
            stated_counts={"recommendations": len(recs)} if recs else {})
        out.append(plan)
        if rng.random() < SHARE_OF_REVIEWS_WITH_UPDATE:
            updated = []
            for a in actions:
                printed = rng.choices(statuses, weights)[0]
                # a revised timescale moves the due date on, as the update documents in the samples do
                due = ([Mention(_due(rng, year + 2), a.due[0].span)] if printed == "Revised timescale" and a.due
                       else a.due)
                updated.append(Action(a.key, a.text, a.number, owners=a.owners, due=due, span=a.span,
                                      status=StatusReport(printed, span=a.span)))
            out.append(ExtractedDocument(
                path=Path(f"{slug}-progress-update.txt"),
                sha256=hashlib.sha256(f"{slug}-update".encode()).hexdigest(), kind="progress report", council=name,
                title=f"{review} progress update", published=f"{year + 1}-{rng.randint(1, 12):02d}", review=review,
                review_kind=review_kind, actions=updated, bodies=[Mention(b) for b in doc_bodies],
                roles=[Mention(p) for p in doc_posts]))
    return out


def council_nquads(index: int, profile: Profile = Profile(), *, seed: int = 0) -> tuple[bytes, int]:
    """One council's graphs as N-Quads, exactly as loading its documents would store them (its document graphs
    and its identity graph, matched by the service layer), and the number of quads."""

    from govgraph.loaders.emit import document_triples
    from govgraph.queries.store import ExportFormat, OxigraphStore
    from govgraph.server import service

    scratch = OxigraphStore.memory()
    documents = [document_triples(d) for d in council_documents(index, profile, seed=seed)]
    for graph, triples in documents[:-1]:  # written as they are; the last write matches the whole council once
        scratch.replace_graph(graph, triples)
    service.write_document(scratch, *documents[-1])
    body = scratch.dump(format=ExportFormat.NQUADS)
    return body, len(scratch.inner)


def vocabulary_nquads() -> bytes:
    """govgraph's own vocabulary graphs (ontology and theme schemes), as every store holds them."""
    from govgraph.queries.store import ExportFormat, OxigraphStore
    from govgraph.server import service

    store = OxigraphStore.memory()
    service.ensure_vocabulary(store)
    return store.dump(format=ExportFormat.NQUADS)


@dataclass
class CorpusInfo:
    path: Path
    councils: int
    quads: int
    seconds: float | None = None  # how long generating it took, where known


def _council_job(args: tuple[int, Profile, int]) -> tuple[bytes, int]:
    index, profile, seed = args
    return council_nquads(index, profile, seed=seed)


def write_corpus(path: Path, *, councils: int | None = None, triples: int | None = None,
                 profile: Profile = Profile(), seed: int = 0, workers: int = 1) -> CorpusInfo:
    """Write a corpus as N-Quads to ``path``, council by council (memory stays bounded by one council): exactly
    ``councils`` councils, or councils until at least ``triples`` quads (vocabulary included). Returns what was
    written. ``workers`` > 1 builds councils in that many processes (the output is the same).

    :raises ValueError: neither or both of ``councils`` and ``triples`` given.
    """
    if (councils is None) == (triples is None):
        raise ValueError("give either councils or triples")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    started = time.perf_counter()
    written = n = 0
    with partial.open("wb") as out:
        vocabulary = vocabulary_nquads()
        out.write(vocabulary)
        written += vocabulary.count(b"\n")

        def indexes() -> Iterator[tuple[int, Profile, int]]:
            i = 0
            while councils is None or i < councils:
                yield i, profile, seed
                i += 1

        if workers > 1:
            import multiprocessing

            pool = multiprocessing.get_context("forkserver").Pool(workers)
            results = pool.imap(_council_job, indexes(), chunksize=4)
        else:
            pool = None
            results = map(_council_job, indexes())
        try:
            for body, quads in results:
                out.write(body)
                written += quads
                n += 1
                if triples is not None and written >= triples:
                    break
        finally:
            if pool is not None:
                pool.terminate()
    partial.replace(path)
    took = time.perf_counter() - started
    path.with_name(path.name + ".json").write_text(json.dumps({"councils": n, "quads": written, "seconds": took}))
    return CorpusInfo(path, n, written, took)


def cached_corpus(folder: Path, *, councils: int | None = None, triples: int | None = None,
                  profile: Profile = Profile(), seed: int = 0, workers: int = 1) -> CorpusInfo:
    """The corpus of that size in ``folder``, generated the first time and reused afterwards (the file name says
    its size, profile and seed; a half-written file is never reused)."""
    size = f"c{councils}" if councils is not None else f"t{triples}"
    path = Path(folder) / f"corpus-{size}-y{profile.years}-e{profile.review_every}-s{seed}.nq"
    if path.exists() and path.with_name(path.name + ".json").exists():
        known = json.loads(path.with_name(path.name + ".json").read_text())
        return CorpusInfo(path, known["councils"], known["quads"], known.get("seconds"))
    if path.exists():  # written before sizes were kept beside the file: count
        quads = 0
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 24), b""):
                quads += block.count(b"\n")
        graphs = _count_councils(path)
        return CorpusInfo(path, graphs, quads)
    return write_corpus(path, councils=councils, triples=triples, profile=profile, seed=seed, workers=workers)


def _count_councils(path: Path) -> int:
    marker = b"<https://w3id.org/govgraph/id/identity/"
    seen = set()
    with path.open("rb") as handle:
        for line in handle:
            if b"#IdentityGraph>" in line and line.startswith(marker):
                seen.add(line.split(b" ", 1)[0])
    return len(seen)


# --- council documents as files, for the readers' throughput -------------------------------------------------------

HEADER = ["Ref", "Recommendation", "Action", "Lead officer", "Oversight", "Due date", "Status"]


def _rows(doc) -> list[list[str]]:
    recs = {r.key: r for r in doc.recommendations}
    rows = []
    for a in doc.actions:
        rec = recs.get(a.responds_to[0]) if a.responds_to else None
        rows.append([a.number or "", rec.text if rec else "", a.text, "; ".join(m.text for m in a.owners),
                     "; ".join(m.text for m in a.oversight), "; ".join(m.text for m in a.due),
                     a.status.printed if a.status and a.status.printed else ""])
    return rows


def _preamble(doc) -> list[str]:
    return [f"Council: {doc.council}", f"Review: {doc.review}", f"Title: {doc.title}", f"Date: {doc.published}"]


def write_documents(folder: Path, *, councils: int = 1, formats: tuple[str, ...] = ("txt", "docx", "pdf"),
                    profile: Profile = Profile(years=5), seed: int = 0) -> list[Path]:
    """Council action plans as files a person would load: plain text (a tab-separated table after a labelled
    preamble), Word (python-docx, a table) and PDF (fpdf2, the text's lines). One file per plan and format; returns
    the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in range(councils):
        for doc in council_documents(c, profile, seed=seed):
            if doc.kind != "action plan":
                continue
            stem = folder / Path(doc.path).stem
            lines = _preamble(doc) + ["", "\t".join(HEADER)] + ["\t".join(r) for r in _rows(doc)]
            if "txt" in formats:
                paths.append(stem.with_suffix(".txt"))
                paths[-1].write_text("\n".join(lines) + "\n", encoding="utf-8")
            if "docx" in formats:
                import docx

                d = docx.Document()
                for line in _preamble(doc):
                    d.add_paragraph(line)
                rows = _rows(doc)
                table = d.add_table(rows=len(rows) + 1, cols=len(HEADER))
                for j, h in enumerate(HEADER):
                    table.cell(0, j).text = h
                for i, row in enumerate(rows, 1):
                    for j, value in enumerate(row):
                        table.cell(i, j).text = value
                paths.append(stem.with_suffix(".docx"))
                d.save(paths[-1])
            if "pdf" in formats:
                from fpdf import FPDF

                pdf = FPDF(orientation="landscape")
                pdf.set_auto_page_break(True, margin=10)
                pdf.add_page()
                pdf.set_font("Helvetica", size=7)
                for line in lines:
                    pdf.multi_cell(0, 4, line.replace("\t", "    ").encode("latin-1", "replace").decode("latin-1"),
                                   new_x="LMARGIN", new_y="NEXT")
                paths.append(stem.with_suffix(".pdf"))
                pdf.output(str(paths[-1]))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--councils", type=int, help="this many councils")
    size.add_argument("--triples", type=int, help="councils until at least this many quads")
    size.add_argument("--documents", type=int, help="council document files (text, Word, PDF) for this many councils")
    parser.add_argument("--years", type=int, default=YEARS, help="years of reviews per council")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("out", type=Path, help="the N-Quads file to write (a folder for --documents)")
    args = parser.parse_args(argv)
    if args.documents is not None:
        paths = write_documents(args.out, councils=args.documents, seed=args.seed)
        print(f"{len(paths)} documents in {args.out}")
        return 0
    info = write_corpus(args.out, councils=args.councils, triples=args.triples, profile=Profile(years=args.years),
                        seed=args.seed, workers=args.workers)
    print(f"{info.path}: {info.councils} councils, {info.quads:,} quads")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What a loader reads out of one document, before it becomes triples.

Every loader of a document genre (a tracker spreadsheet, a text table, labelled prose, a Word file) fills an
:class:`ExtractedDocument`; :mod:`govgraph.loaders.emit` turns it into triples with provenance, the same way for
every genre. Each value that came from the text carries a :class:`Span` saying where.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Span:
    """Where a piece of text was read: a character range of the document text (``start``/``end``), the first
    line (1-based; a spreadsheet's row), and for tables the cell as an RFC 7111 fragment ("row=5;col=3")."""

    quote: str
    line: int | None = None
    start: int | None = None
    end: int | None = None
    fragment: str | None = None


@dataclass(frozen=True)
class Mention:
    """A name or value as the document printed it, with where it was printed."""

    text: str
    span: Span | None = None
    how: str | None = None  # how it was read (loaders.confidence.METHODS); None: as the thing it belongs to


@dataclass(frozen=True)
class PersonMention:
    """A named person and what the document calls them ("contact", or a post title they hold)."""

    name: str
    role: str = "contact"
    post: str | None = None
    span: Span | None = None


@dataclass
class Theme:
    key: str
    name: str
    span: Span | None = None


@dataclass
class Recommendation:
    key: str
    text: str
    number: str | None = None
    theme: str | None = None  # a Theme.key
    span: Span | None = None
    how: str | None = None  # how it was found (loaders.confidence.METHODS); None: the reader's own way


@dataclass
class StatusReport:
    """What the document says about progress: status as printed, the commentary, and a due-date revision."""

    printed: str | None = None
    progress: str | None = None
    revised_from: list[Mention] = field(default_factory=list)
    revised_to: list[Mention] = field(default_factory=list)
    reason: str | None = None
    span: Span | None = None


@dataclass
class Milestone:
    text: str
    due: list[Mention] = field(default_factory=list)
    owners: list[Mention] = field(default_factory=list)
    oversight: list[Mention] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    span: Span | None = None


@dataclass
class Action:
    key: str
    text: str
    number: str | None = None
    responds_to: list[str] = field(default_factory=list)  # Recommendation.key values
    theme: str | None = None
    owners: list[Mention] = field(default_factory=list)
    oversight: list[Mention] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    due: list[Mention] = field(default_factory=list)
    status: StatusReport | None = None
    milestones: list[Milestone] = field(default_factory=list)
    span: Span | None = None
    how: str | None = None  # how it was found (loaders.confidence.METHODS); None: the reader's own way


@dataclass(frozen=True)
class Skipped:
    """Part of a document that was read but not used, and why: reported to the user, never silently dropped."""

    line: int | None
    reason: str


@dataclass
class ExtractedDocument:
    """Everything a loader read from one document."""

    path: Path
    sha256: str
    kind: str
    council: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD as the document gives it
    review: str | None = None
    review_kind: str | None = None  # suffix of a gg:ReviewKinds concept, e.g. "peer-challenge"
    themes: list[Theme] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    plan_oversight: list[Mention] = field(default_factory=list)  # bodies that receive or monitor the whole plan
    bodies: list[Mention] = field(default_factory=list)  # every body named anywhere
    roles: list[Mention] = field(default_factory=list)  # every officer or member role named anywhere
    people: list[PersonMention] = field(default_factory=list)  # every person named anywhere
    stated_counts: dict[str, int] = field(default_factory=dict)  # "recommendations" / "actions" -> number
    skipped: list[Skipped] = field(default_factory=list)

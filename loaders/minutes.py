"""Minutes and reports written as running prose: the commitments a paragraph makes without a list or a label.

Rules of the genre:

- a sentence stating a recommendation is one: "One of the main recommendations requires the council to ...";
- a meeting's request is an action: "The committee asked that managers provide target dates", "It was requested
  that a report be brought back in June"; who is asked is its owner, the meeting its oversight;
- an action cited by its number and title inside a paragraph is that action: "Particular attention was drawn to
  Action 9 - Consider a residents' survey, and members were told ...";
- the status, dates and bodies of each come from its sentence (:mod:`govgraph.loaders.sentences`).

List items and labelled lines are read by the items and records readers; this reader reads paragraphs only.
"""
from __future__ import annotations

import re

from govgraph.loaders import entities, sentences
from govgraph.loaders.confidence import SENTENCE
from govgraph.loaders.model import Action, ExtractedDocument, Mention, Recommendation, StatusReport
from govgraph.loaders.names import collapse, first_sentence
from govgraph.loaders.text import TextDocument

REQUEST = re.compile(r"\b(?:asked|requested|instructed|directed)\s+that\s+(?P<rest>\S.*)$", re.I)
CITED = re.compile(r"\baction\s+(?P<number>\d{1,3}(?:\.\d{1,2})?[a-z]?)\s*[-–—:]\s*(?P<title>[A-Z][^.;]{8,200}?)"
                   r"(?=\s+and\s+[a-z]+\s+(?:were|was|had|have)\b|[.;]|$)", re.I)
STATED_RECOMMENDATION = re.compile(r"\b(?:the|a|one\s+of\s+the|another)\s+(?:\w+\s+){0,2}recommendations?\s+"
                                   r"(?:is|was|requires|required|asks|asked|calls\s+for|called\s+for|states?|stated|"
                                   r"proposes|proposed)\b|\brecommend(?:s|ed)?\s+that\s+(?:the\s+)?[A-Z]?\w+", re.I)


class MinutesReader:
    """Reads requests made by a meeting and actions cited by number in running prose."""

    name = "minutes"
    how = SENTENCE  # how what it finds is found, unless an item says otherwise

    def read(self, doc: TextDocument) -> ExtractedDocument | None:
        reading = ExtractedDocument(path=doc.path, sha256=doc.sha256, kind="committee minutes")
        for block in doc.blocks:
            # numbered paragraphs of minutes ('65.2 The Head of ... explained that ...') are prose too
            prose = not block.is_list_item or len(re.findall(r"[.!?](?:\s|$)", block.text)) >= 2
            if block.is_table or block.is_heading or not prose:
                continue
            text = doc.text[block.start:block.end]
            for a, b in sentences.split(text):
                sentence = text[a:b]
                _request(doc, reading, sentence, block.start + a)
                _stated(doc, reading, sentence, block.start + a)
                _cited(doc, reading, sentence, block.start + a)
        return reading if reading.actions or reading.recommendations else None


def _request(doc: TextDocument, reading: ExtractedDocument, sentence: str, start: int) -> None:
    m = REQUEST.search(sentence)
    if not m:
        return
    words = collapse(sentence)
    span = doc.span(start, start + len(sentence))
    owners = [Mention(f.text, span) for f in sentences.owners(words)]
    team = sentences.team(" ".join(m["rest"].split()[:6]))
    roles = entities.find_roles(m["rest"][:80])
    if team and m["rest"].lower().lstrip().removeprefix("the ").startswith(team.lower()) and not owners:
        owners = [Mention(team, span)]
    elif roles and roles[0].start <= 4 and not owners:
        owners = [Mention(roles[0].text, span)]
    _add(reading, words, None, span, owners)


def _stated(doc: TextDocument, reading: ExtractedDocument, sentence: str, start: int) -> None:
    """A recommendation stated in a sentence: 'One of the main recommendations requires the council to ...'."""
    if STATED_RECOMMENDATION.search(sentence) and len(sentence.split()) >= 8:
        reading.recommendations.append(Recommendation(f"m{len(reading.recommendations) + 1}", collapse(sentence),
                                                      None, None, doc.span(start, start + len(sentence))))


def _cited(doc: TextDocument, reading: ExtractedDocument, sentence: str, start: int) -> None:
    for m in CITED.finditer(sentence):
        if not sentence[:m.start()].strip():
            continue  # 'Action 3: ...' heading its own paragraph is a labelled record, not a citation
        title = m["title"].strip()
        at = start + m.start("title")
        span = doc.span(at, at + len(title))
        rest = sentence[m.end():]
        report = StatusReport(sentences.status_of(rest), first_sentence(collapse(rest), 400) or None, span=span) \
            if sentences.status_of(rest) else None
        _add(reading, title, m["number"], span, [], status=report)


def _add(reading: ExtractedDocument, text: str, number: str | None, span, owners: list[Mention], *,
         status: StatusReport | None = None) -> None:
    words = collapse(text)
    oversight = [Mention(f.text, span) for f in sentences.overseers(words)]
    due = [Mention(t, span) for t in sentences.timings(words)]
    reading.actions.append(Action(f"m{len(reading.actions) + 1}", first_sentence(words, 400), number, owners=owners,
                                  oversight=oversight, due=due, status=status, span=span))

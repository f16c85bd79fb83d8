"""Action plans written as prose: recommendations (numbered, or under their own headings), each followed by the
council's response and its proposed actions, every action closed by labelled lines such as "Officer lead:",
"Lead officer:", "Responsible officer:", "By when:", "Timescale:", "Target date:".

Rules of the genre:

- recommendations are the items of a numbered list introduced by a sentence about recommendations, and the
  headed sections that set out a recommendation or an observation ("From the peer team", "Recommendation 3",
  a short heading followed by a "Response" heading); a section's recommendation is the numbered item it quotes,
  or the first sentence of its first paragraph;
- in a section's "Proposed actions" part, the paragraphs up to each lead/date label pair are one action, read as
  its first sentence; the block is several actions, one per paragraph or numbered item, when it numbers them or
  when its date label points back into the text ("dates as above");
- the lead label gives the accountable posts; the date label gives the due date (its timing phrases, or the
  words as printed when it is short like "ongoing"); dates and bodies named in the action's own paragraph are
  its dates and oversight when the sentence ties them to it (report to, overseen by, considered by...).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from govgraph.loaders import entities
from govgraph.loaders.confidence import LABELLED_HEADER, POSITION, SENTENCE
from govgraph.loaders.dates import sentence_timings
from govgraph.loaders.genre import document_kind
from govgraph.loaders.model import Action, ExtractedDocument, Mention, Recommendation, Skipped
from govgraph.loaders.names import collapse, first_sentence
from govgraph.loaders.text import TextDocument

LABEL = re.compile(
    r"^[\s*_>-]*(?P<label>officer\s+lead|lead\s+officers?|responsible\s+officers?|accountable\s+officers?|"
    r"lead\s+director|action\s+owner|owner|lead|by\s+when|timescales?|target\s+dates?|deadline|due\s+date|"
    r"completion\s+date|date\s+due|implementation\s+date|target\s+completion(?:\s+date)?|when|oversight|"
    r"reporting\s+to|reports?\s+to|monitored\s+by|governance)"
    r"[\s*_]*[:–-][\s*_]*(?P<value>.*)$", re.I)
OWNER_LABELS = re.compile(r"officer|lead|owner|responsible|accountable", re.I)
DATE_LABELS = re.compile(r"when|time|date|deadline", re.I)
OVERSIGHT_LABELS = re.compile(r"oversight|report|monitor|governance", re.I)
REC_HEADING = re.compile(r"from\s+the\s+peer\s+team|recommendation|peer\s+team\s+(?:said|found)|findings?|"
                         r"issues?\s+identified|areas?\s+for\s+improvement", re.I)
RESPONSE_HEADING = re.compile(r"^\W*(?:our\s+)?response", re.I)
ACTIONS_HEADING = re.compile(r"proposed\s+actions?|^\W*actions?\W*$|what\s+we\s+will\s+do|next\s+steps|"
                             r"agreed\s+actions?", re.I)
NUMBERED = re.compile(r"^\s*(?:[-*]\s+)?[*_]*(?:#{1,6}\s*[*_]*)?(?:R|Rec(?:ommendation)?\.?\s*)?(\d{1,2})[.)]\s+(.+)$")
# audit-report style: 'Recommendation 1: ...', 'Management response: Agreed. ...'
REC_LABEL = re.compile(r"^[\s*_]*(?:recommendation|finding|issue|observation)\s*(?P<number>\d{1,2}(?:\.\d{1,2})?)?"
                       r"[\s*_]*[:.–-][\s*_]*(?P<value>\S.*)$", re.I)
RESPONSE_LABEL = re.compile(r"^[\s*_]*(?:management\s+response|agreed\s+actions?|proposed\s+actions?|actions?\s+to\s+be\s+taken|"
                            r"council\s+response|response|action(?:\s+(?P<number>\d{1,2}(?:\.\d{1,2})?))?)[\s*_]*[:–-]"
                            r"[\s*_]*(?P<value>\S.*)$", re.I)
ASSENT = re.compile(r"^(?:agreed|accepted|partially\s+agreed|yes|noted)[.,;:]?\s*", re.I)
AS_ABOVE = re.compile(r"\bas\s+above\b|\bsee\s+above\b", re.I)
OVERSIGHT_VERBS = re.compile(r"\b(?:overs(?:ee|een|ight)|arrangements\s+for|(?:go|goes|went|taken|presented|submitted)\s+to|report(?:s|ed|ing)?\s+(?:to|back|through)|"
                             r"scrutin\w+|consider\w*|monitor\w*|receiv\w+|approv\w+|decid\w+|decision|"
                             r"review(?:ed|s)?\s+by|brought\s+back\s+to|shared\s+with|chaired\s+by|via)\b", re.I)


@dataclass
class Para:
    text: str  # as printed, list marker and markup kept
    start: int
    end: int
    line: int
    number: str | None = None  # the action's own number where a label gave one ('Action 3:')
    heading: bool = False
    bullet: bool = False  # a list item marked by a bullet, not a number
    table: bool = False  # a table row

    @property
    def plain(self) -> str:
        return collapse(re.sub(r"[*_]{1,3}", "", self.text))


def _paragraphs(doc: TextDocument) -> list[Para]:
    """Paragraphs: headings, labels, list items and table rows are paragraphs of their own; plain paragraphs on
    consecutive lines with no blank line between them are one."""
    paras: list[Para] = []
    previous_end_line = -1
    for block in doc.blocks:
        if block.is_table:
            for row in block.rows:
                start, end = row.cells[0].start, row.cells[-1].end
                paras.append(Para(doc.text[start:end], start, end, row.line, table=True))
            previous_end_line = -1
            continue
        start = block.printed_start
        text = doc.text[start:block.end]
        own = block.is_heading or block.is_list_item or bool(LABEL.match(text) or NUMBERED.match(text))
        last = paras[-1] if paras else None
        joins = (last is not None and not own and block.line == previous_end_line + 1 and not last.heading
                 and not last.table and not last.bullet and not LABEL.match(last.text) and not NUMBERED.match(last.text))
        if joins:
            last.text += "\n" + text
            last.end = block.end
        else:
            paras.append(Para(text, start, block.end, block.line, heading=block.is_heading,
                              bullet=block.is_list_item and not re.match(r"[(\w]", block.marker or "")))
        previous_end_line = doc.line_of(block.end)
    return paras


class ProseReader:
    """Reads recommendation / response / proposed-actions documents with labelled leads and dates."""

    name = "prose"
    how = POSITION  # how what it finds is found, unless an item says otherwise

    def read(self, doc: TextDocument) -> ExtractedDocument | None:
        paras = _paragraphs(doc)
        if sum(1 for p in paras if LABEL.match(p.text) and OWNER_LABELS.search(LABEL.match(p.text)["label"])) < 1:
            return None
        reading = ExtractedDocument(path=doc.path, sha256=doc.sha256, kind=document_kind(doc))
        recs_by_number: dict[str, str] = {}
        _listed_recommendations(doc, paras, reading, recs_by_number)
        _sections(doc, paras, reading, recs_by_number)
        return reading




def _listed_recommendations(doc, paras: list[Para], reading: ExtractedDocument, by_number: dict[str, str]) -> None:
    """Numbered items after a sentence introducing recommendations ('key recommendations to the Council:')."""
    for i, para in enumerate(paras):
        if not (re.search(r"recommendations?", para.plain, re.I) and para.plain.rstrip().endswith(":")):
            continue
        expected = 1
        for item in paras[i + 1:]:
            m = NUMBERED.match(item.text)
            if not m or int(m.group(1)) != expected:
                if m is None and expected > 1:
                    break
                if m is None:
                    continue
                break
            number = m.group(1)
            text = collapse(re.sub(r"[*_]{1,3}", "", m.group(2)))
            key = f"r{number}"
            by_number[number] = key
            reading.recommendations.append(Recommendation(key, text, number, None, doc.span(item.start, item.end)))
            expected += 1
        if reading.recommendations:
            return


def _sections(doc, paras: list[Para], reading: ExtractedDocument, by_number: dict[str, str]) -> None:
    """Walk the headed sections: recommendation, response, proposed actions; close an action block at each
    lead/date label pair."""
    state = "none"
    rec_key: str | None = None
    block: list[Para] = []
    observation: Para | None = None  # the first paragraph under a plain heading, until a response confirms it

    def recommendation(text: str, para: Para, number: str | None) -> str:
        if number and number in by_number:
            return by_number[number]
        key = f"r{number}" if number else f"s{len(reading.recommendations) + 1}"
        text = first_sentence(text.strip(" \"“”'*_"), 400)
        reading.recommendations.append(Recommendation(key, text, number, None, doc.span(para.start, para.end)))
        if number:
            by_number[number] = key
        return key

    def unlabelled(block: list[Para]) -> None:
        """Paragraphs under 'Proposed actions' that no lead or date label closes are reported, not guessed at."""
        for para in block:
            if not para.table and len(para.plain) > 20:
                reading.skipped.append(Skipped(para.line, "proposed action text without an officer lead or date "
                                                          f"label after it was not read as an action: "
                                                          f"'{first_sentence(para.plain, 80)}'"))

    for index, para in enumerate(paras):
        plain = para.plain
        label = LABEL.match(para.text)
        # a short line of its own naming a section ('From the peer team....', 'Response', 'Proposed actions') is a
        # heading whether or not the type shows it
        section = (len(plain.split()) <= 6 and not para.table and not para.bullet and re.fullmatch(r"[^.!?;:]*\.*:?", plain)
                   and bool(REC_HEADING.search(plain) or RESPONSE_HEADING.search(plain) or ACTIONS_HEADING.search(plain)))
        is_heading = (para.heading or section) and not label
        if is_heading and state == "actions" and block:
            unlabelled(block)
            block = []
        if is_heading and RESPONSE_HEADING.search(plain):
            if state == "observation" and observation is not None:
                rec_key = recommendation(observation.plain, observation, None)
            state, block, observation = "response", [], None
            continue
        if is_heading and ACTIONS_HEADING.search(plain):
            state, block = "actions", []
            continue
        numbered = NUMBERED.match(re.sub(r"^\s*#+\s*", "", para.text))
        if is_heading and numbered and state == "recommendation":
            rec_key = recommendation(collapse(re.sub(r"[*_]{1,3}", "", numbered.group(2))), para, numbered.group(1))
            state = "quoted"
            continue
        if is_heading and REC_HEADING.search(plain):
            state, block, observation = "recommendation", [], None
            continue
        if is_heading:
            state, block, observation = "observation", [], None
            continue
        if (rec_label := REC_LABEL.match(para.text)) and not label:
            if block and state == "actions":
                unlabelled(block)
            rec_key = recommendation(collapse(re.sub(r"[*_]{1,3}", "", rec_label["value"])), para, rec_label["number"])
            state, block = "actions", []
            continue
        response = RESPONSE_LABEL.match(para.text) if not label else None
        if response and response["number"] and state != "actions":
            state, block = "actions", []  # 'Action 3: ...' starts an action wherever it stands
        if state == "actions" and response:
            value = ASSENT.sub("", collapse(re.sub(r"[*_]{1,3}", "", response["value"])))
            if value:
                offset = para.start + response.start("value")
                block.append(Para(value, offset, para.end, para.line, response["number"]))
            continue
        if state == "recommendation":
            if numbered:
                rec_key = recommendation(collapse(re.sub(r"[*_]{1,3}", "", numbered.group(2))), para, numbered.group(1))
                state = "quoted"
            continue
        if state == "observation":
            observation = observation or para
            continue
        if state != "actions":
            continue
        block.append(para)
        if label:
            following = paras[index + 1] if index + 1 < len(paras) else None
            if following is not None and LABEL.match(following.text):
                continue  # a lead and its date come as a pair
            _close_block(doc, block, reading, rec_key)
            block = []
    if state == "actions" and block:
        unlabelled(block)


def _close_block(doc, block: list[Para], reading: ExtractedDocument, rec_key: str | None) -> None:
    labels = [(LABEL.match(p.text), p) for p in block if LABEL.match(p.text)]
    body = [p for p in block if not LABEL.match(p.text) and not p.table]
    if not body:
        return
    owners: list[Mention] = []
    dues_label: list[Mention] = []
    oversight: list[Mention] = []
    points_back = False
    for m, para in labels:
        value = m["value"].strip()
        value_start = para.start + m.start("value")
        if OWNER_LABELS.search(m["label"]) and not DATE_LABELS.search(m["label"]):
            for found in entities.find_roles(value):
                title = re.sub(r"\s?\([a-z][^)]*\)$", "", found.text)
                owners.append(Mention(title, doc.span(value_start + found.start, value_start + found.end),
                                      how=LABELLED_HEADER))
        elif DATE_LABELS.search(m["label"]):
            points_back = bool(AS_ABOVE.search(value))
            plain = collapse(re.sub(r"[*_]{1,3}", "", value)).rstrip(".")
            timings = sentence_timings(plain)
            if points_back:
                continue
            if timings:
                dues_label += [Mention(t, doc.span(value_start, para.end), how=LABELLED_HEADER) for t in timings]
            elif plain and len(plain.split()) <= 4:
                dues_label.append(Mention(plain, doc.span(value_start, para.end), how=LABELLED_HEADER))
        elif OVERSIGHT_LABELS.search(m["label"]):
            for found in entities.find_bodies(value):
                oversight.append(Mention(found.text, doc.span(value_start + found.start, value_start + found.end),
                                         how=LABELLED_HEADER))
    # a paragraph about a body's oversight of the work ('In addition the Scrutiny Committee have agreed
    # arrangements...') is oversight of every action of the block, not an action
    statements = [p for p in body[1:] if _oversight_statement(p.plain)]  # the first paragraph is the action
    for p in statements:
        for found in entities.find_bodies(p.plain):
            if found.text not in [b.text for b in oversight]:
                oversight.append(Mention(found.text, doc.span(p.start, p.end), how=SENTENCE))
    body = [p for p in body if p not in statements]
    if not body:
        return
    numbered_items = [p for p in body if NUMBERED.match(p.text)]
    split = points_back or len(numbered_items) >= 2
    groups: list[list[Para]] = []
    if split:
        for p in body:
            if p.bullet and groups:
                groups[-1].append(p)  # bullets elaborate the item above
            else:
                groups.append([p])
    else:
        groups = [body]
    for group in groups:
        head = group[0]
        number_match = NUMBERED.match(head.text)
        text = first_sentence(collapse(re.sub(r"[*_]{1,3}", "", number_match.group(2) if number_match else head.text)), 400)
        own_text = collapse(re.sub(r"[*_]{1,3}", "", " ".join(p.text for p in group)))
        # a split block's date label belongs to its opening paragraph, not to the numbered items
        due = list(dues_label) if not split or (group is groups[0] and not number_match) else []
        own_dates = [Mention(t, doc.span(head.start, group[-1].end), how=SENTENCE) for t in sentence_timings(own_text)
                     if t not in [d.text for d in due]]
        due = own_dates + due if due and not split else due + own_dates
        bodies = list(oversight)
        for sentence in re.split(r"(?<=[.;])\s+", own_text):
            if OVERSIGHT_VERBS.search(sentence):
                for found in entities.find_bodies(sentence):
                    if found.text not in [b.text for b in bodies]:
                        bodies.append(Mention(found.text, doc.span(head.start, group[-1].end), how=SENTENCE))
        reading.actions.append(Action(
            key=f"a{len(reading.actions) + 1}", text=text,
            number=number_match.group(1) if number_match and split else head.number,
            responds_to=[rec_key] if rec_key else [], owners=list(owners), oversight=bodies, due=due,
            span=doc.span(head.start, group[-1].end)))



def _oversight_statement(text: str) -> bool:
    """Whether a paragraph is about a body overseeing the work: a body named in its opening words, with an
    oversight verb in its first sentence."""
    sentence = first_sentence(text, 400)
    bodies = entities.find_bodies(sentence)
    return bool(bodies and bodies[0].start < 40 and OVERSIGHT_VERBS.search(sentence)
                or re.search(r"\b(?:agreed|established|put in place)\s+(?:specific\s+)?(?:scrutiny\s+)?arrangements\b",
                             sentence, re.I) and bodies)

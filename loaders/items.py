"""Items: numbered, lettered and bulleted entries, and paragraphs headed by a record number ("No. 4 –",
"Recommendation 2:"), read by what the words around them say they are. Minutes, decision notices, web pages and
reports list recommendations, decisions and progress this way.

Rules of the genre:

- a list introduced as recommendations ("The six recommendations", "made the following recommendations:") gives
  one recommendation per item, in the item's own words (explanatory paragraphs between items are not part of
  them);
- a list of decisions (under "RESOLVED" or "Decision", or whose items open with a decision: "Agreed", "Approved",
  "That ... be ...") gives one action per item; an item that only notes something is no action, and one that
  recommends something ("recommends that") is a recommendation;
- a list of progress updates ("an update was provided in relation to each:", items "No. 1 –", or items led by a
  tracker's references that say how far each has got: "22 S 03 The training ... would be finished in Feb 2023")
  gives one action per item, with the status its words report;
- a list under a line naming a time ("Up to six months") or actions ("Next steps", "Proposed actions") gives
  one action per item, due when that line says;
- an item quoting an action by its title ("the action ‘Publish the plan’ should be marked as ‘part complete’")
  gives that action, with the status quoted;
- an item listing deliverables after "include(d)" or a colon, separated by semicolons, gives one action per
  deliverable, each with the bodies the item names.

Nested items elaborate their item. Each item's owner, oversight, due dates and status come from its words
(:mod:`govgraph.loaders.sentences`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from govgraph.loaders import sentences
from govgraph.loaders.blocks import Block
from govgraph.loaders.confidence import POSITION, SENTENCE
from govgraph.loaders.dates import read_due
from govgraph.loaders.genre import document_kind
from govgraph.loaders.model import Action, ExtractedDocument, Mention, Recommendation, StatusReport
from govgraph.loaders.names import collapse, first_sentence
from govgraph.loaders.numbering import MARKER, marker_number, record_number
from govgraph.loaders.text import TextDocument

DECISIONS = re.compile(r"\bresolved\b|\bdecisions?\s*:?\s*$|^\W*decisions?\b|\bdecided\s*(?:to|that)?\s*:?\s*$|"
                       r"\bit\s+was\s+agreed\b|\bagreed\s+(?:to|that)\s*:?\s*$|"
                       r"\b(?:is|are)\s+(?:asked|recommended)\s+to\s*:?\s*$", re.I | re.M)
# a line introducing recommendations: a title ('The six recommendations', 'Key recommendations') or a sentence
# leading into them ('... made the following recommendations:')
RECOMMENDATIONS = re.compile(r"^\W*(?!reasons?\b|background\b|implications?\b)(?:the\s+)?(?:[\w-]+\s+){0,3}(?:recommendations?|proposals?\s+for\s+improvement|"
                             r"areas?\s+for\s+(?:improvement|development))\W*$|"
                             r"\b(?:recommendations?|proposals?\s+for\s+improvement)\b[^.]{0,80}:\s*$|"
                             r"\brecommend(?:s|ed)?\s+that\s*:?\s*$", re.I | re.M)
# a list of what has been done: '... the council has responded positively and has:' over 'achieved savings', ...
DONE_INTRO = re.compile(r"\b(?:has|have|had)\s*(?:already\s+)?:\s*$", re.I)
DONE_ITEM = re.compile(r"^\W*(?:\w+ed|made|taken|begun|held|set\s+up|put|built|won|undertaken|begun|brought|"
                       r"drawn\s+up)\b", re.I)
PROGRESS = re.compile(r"\bupdate\b|\bupdated\b|\bprogress\b|\bstatus\b|\bposition\b", re.I)
ACTIONS = re.compile(r"\bactions?\b|\bnext\s+steps\b|\bwe\s+will\b|\bwill\s+be\s+taken\b|\bmilestones?\b|"
                     r"\btimeline\b|\bdeliverables?\b|\bcommitments?\b", re.I)
DECISION_VERB = re.compile(r"^\W*(?:that\b|agreed\b|approved?\b|noted\b|to\s+(?:note|agree|approve|endorse|"
                           r"request|recommend|delegate|ask)\b|endorsed?\b|resolved\b|requested\b|recommended\b|"
                           r"commented\b|authorised\b|delegated\b|asked\b|accepted\b|adopted\b|welcomed\b|"
                           r"considered\b|supported\b)", re.I)
# a resolution's own grammar: '(That) the report be received and noted', 'a response be submitted by ...'
RESOLUTION = re.compile(r"^\W*(?:that\s+)?[^.;:]{0,160}?\bbe\s+(?:\w+ed|\w+en|made|kept|set|held|put|sent|brought|"
                        r"given|taken|shown|done|met|paid|built|sought|invited|received)\b", re.I)
NOTING = re.compile(r"^\W*(?:(?:that\s+)?(?:the\s+)?(?:\w+\s+){0,12}?be\s+(?:received\s+and\s+)?noted\b|noted\b|to\s+note\b|"
                    r"note\s+(?:the|that|and\s+(?:agree|welcome|endorse|comment))\b|"
                    r"(?:that\s+)?(?:the\s+)?(?:\w+\s+){0,4}?(?:congratulat|thank|welcom|commend|prais|recognis)\w*\b|"
                    r"(?:that\s+)?the\s+\w+(?:\s+\w+)?\s+notes\b|(?:that\s+)?the\s+(?:contents?|report|update)\b.{0,80}"
                    r"\bbe\s+(?:noted|received)\b)", re.I)
RECOMMENDS = re.compile(r"\brecommends?\s+that\b|\brecommended\s+that\b|\bmade\s+the\s+following\s+"
                        r"recommendations?\b", re.I)
# the closing quote is the one a clause goes on from ('... conduct’ should be marked'), not an apostrophe
QUOTED_ACTION = re.compile(r"\baction\s+[‘'\"“](?P<title>[^‘“\n]{8,300}?)[’'\"”](?=\s*(?:[,.;:)]|$)|\s+(?:should|was|"
                           r"were|is|are|had|has|have|would|will|to|be|and|as|in|by|for|with|which|that|remains?|"
                           r"being|could|may|might|must)\b)", re.I)
QUOTED = re.compile(r"[‘'\"“](?P<q>[^’'\"”]{3,40})[’'\"”]")
INCLUDED = re.compile(r"\b(?:include[ds]?|including|namely|as\s+follows)\b\s*:?\s+|:\s+", re.I)
ISSUES = re.compile(r"\b(?:significant\s+)?(?:governance\s+)?issues?\b|\bareas?\s+(?:for|of)\s+(?:improvement|focus|"
                    r"development)\b|\bweakness(?:es)?\b|\bpriorit(?:y|ies)\s+for\s+improvement\b", re.I)
# an item led by a short title: 'Governance of Children's Services - Delivery of the plan has ...'
TITLED = re.compile(r"^(?P<title>[A-Z][^.:;–—]{2,90}?)\s+[–—-]\s+(?P<rest>\S.*)$", re.S)
TIME_LINE = re.compile(r"^\W*(?:up\s+to|within|by|in|over|short|medium|long|immediate|next)\b.{0,40}$|"
                       r"^\W*(?:\d+\s*[-–]\s*)?\d+\s+(?:months?|years?|weeks?)\b", re.I)


@dataclass
class Item:
    block: Block
    number: str | None
    kind: str | None  # what its numbering says it is ('recommendation', 'action', 'issue'), if it says
    start: int  # where its own words start, after marker and number
    text: str
    children: list[Block] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.block.end


@dataclass
class Group:
    items: list[Item]
    context: str  # the heading and the line introducing the list
    intro: Block | None


def _item(doc: TextDocument, block: Block) -> Item | None:
    text = doc.text[block.start:block.end]
    number = marker_number(block.marker) if block.is_list_item else None
    start = block.start
    kind = None
    # a number printed after a bullet ('- 2.1 To note progress', '• a) Agreed'): the item's number
    if number is None and (inner := MARKER.match(text)) and (inner_number := marker_number(inner.group().strip())):
        number, start, text = inner_number, block.start + inner.end(), text[inner.end():]
    found = record_number(collapse(text))
    if found is not None:
        raw = record_number(text)
        if raw is not None:
            start = start + raw.end
            number, kind = found.number, found.kind
    elif not block.is_list_item:
        return None
    words = collapse(doc.text[start:block.end])
    # 'No. 4 and 5, had now been completed.': the number is the subject, so the item's words keep it
    if found is not None and re.match(r"(?:,\s*)?(?:had|has|have|was|were|is|are)\b", words):
        start, words = block.start, collapse(doc.text[block.start:block.end])
    words = words.lstrip(",–—- ")
    if not words:
        return None
    return Item(block, number, kind, start, words)


def _groups(doc: TextDocument) -> list[Group]:
    groups: list[Group] = []
    current: Group | None = None
    level = 0
    between: list[Block] = []
    previous: Block | None = None
    for block in doc.blocks:
        if block.is_table or block.is_heading and not record_number(block.text):
            current, between = None, []
            previous = block
            continue
        item = _item(doc, block)
        if item is not None and current is not None and block.is_list_item and block.level > level:
            current.items[-1].children.append(block)  # a nested item elaborates its item
            continue
        if item is not None:
            headline_like = current is not None and all(
                len(i.text.split()) <= 25 and not i.text.rstrip().endswith(".") for i in current.items)
            introduced = any((len(b.text) < 60 and TIME_LINE.match(b.text)) or b.text.rstrip().endswith(":")
                             for b in between)
            if current is None or (between and not headline_like) or len(between) > 3 or introduced:
                context_blocks = [b for b in (_heading_of(doc, block),) if b] + _title_lines(doc, block)
                intro = previous if previous is not None and not previous.is_heading and (
                    current is None or introduced) else None
                current = Group([], "\n".join(b.text for b in context_blocks + ([intro] if intro and intro not in
                                                                                   context_blocks else [])), intro)
                groups.append(current)
                level = block.level if block.is_list_item else 0
            elif between:
                current.items[-1].children.extend(between)
            current.items.append(item)
            between = []
        elif current is not None:
            between.append(block)
        previous = block
    return groups


def _title_lines(doc: TextDocument, block: Block) -> list[Block]:
    """Short lines just before a list (page titles such as 'Issue - decisions', 'RESOLVED'), up to three."""
    out: list[Block] = []
    for other in reversed(doc.blocks[max(0, block.index - 4):block.index]):
        if other.is_table or other.is_list_item or len(other.text) > 100:
            break
        out.append(other)
    return out[:3]


def _heading_of(doc: TextDocument, block: Block) -> Block | None:
    index = block.parent
    while index is not None:
        parent = doc.blocks[index]
        if parent.is_heading:
            return parent
        index = parent.parent
    return None


def _genre(group: Group) -> str | None:
    items = group.items
    texts = [i.text for i in items]
    if any(QUOTED_ACTION.search(t) for t in texts):
        return "quoted"
    intro = group.intro.text if group.intro is not None else ""
    if re.search(r"\b(?:themes?|grouped|workstreams?|core\s+components?)\b[^.]*:\s*$", intro, re.I):
        return None  # a list of themes: read by the theme finder, not as items
    if group.intro is not None and len(intro) < 60 and TIME_LINE.match(intro) and read_due(intro).readable \
            or group.intro is not None and len(intro) < 60 and TIME_LINE.match(intro) and re.search(
                r"\b(?:months?|years?|weeks?|term)\b", intro, re.I):
        return "timed"
    context = group.context
    if DONE_INTRO.search(intro) and sum(1 for t in texts if DONE_ITEM.match(t)) >= max(1, len(items) / 2):
        return "done"
    decided = sum(1 for t in texts if DECISION_VERB.match(t) or RESOLUTION.match(t))
    if DECISIONS.search(context) or decided >= max(2, 0.6 * len(items)):
        return "decisions"
    if any(i.kind == "recommendation" for i in items) and not PROGRESS.search(context):
        return "recommendations"
    titled = sum(1 for i in items if _title(i.text) or (i.children and _headline(i.text)))
    if ISSUES.search(context) and titled >= max(1, len(items) / 2):
        return "issues"
    if PROGRESS.search(context) and sum(1 for t in texts if sentences.status_of(t)) >= max(1, len(items) / 3):
        return "progress"
    if sum(1 for i in items if i.number and sentences.status_of(i.text)) >= max(2, len(items) / 2):
        return "progress"  # items led by their reference, each saying how far it has got: a tracker's update
    if RECOMMENDATIONS.search(context) and not ACTIONS.search(re.sub(r"action\s+plan", "", context, flags=re.I)):
        return "recommendations"
    if ACTIONS.search(re.sub(r"action\s+plan", "", context, flags=re.I)) and len(items) >= 2:
        return "actions"
    return None


def _headline(text: str) -> bool:
    return len(text.split()) <= 12 and not re.search(r"[.;]\s|[.;]$", text.rstrip(":"))


def _title(text: str) -> tuple[str, str, int] | None:
    """(title, rest, where rest starts) when an item is led by a short title and a dash."""
    m = TITLED.match(text)
    if m and len(m["title"].split()) <= 10:
        return m["title"], m["rest"], m.start("rest")
    return None


class ItemsReader:
    """Reads recommendations, decisions and progress written as numbered or bulleted items."""

    name = "items"
    how = POSITION  # how what it finds is found, unless an item says otherwise

    def read(self, doc: TextDocument) -> ExtractedDocument | None:
        reading = ExtractedDocument(path=doc.path, sha256=doc.sha256, kind=document_kind(doc))
        for group in _groups(doc):
            genre = _genre(group)
            if genre is None:
                continue
            before = len(reading.actions)
            for item in group.items:
                _read_item(doc, reading, group, genre, item)
            owners = _action_by(doc, group)
            for action in reading.actions[before:]:
                action.owners = action.owners or list(owners)
        if not reading.actions and not reading.recommendations:
            return None
        return reading


ACTION_BY = re.compile(r"^\W*(?:action(?:ed)?\s+by|lead\s+officers?|responsible\s+officers?|officers?\s+responsible|"
                       r"officer\s+lead|implementation\s+by)\s*:?\s*", re.I)


def _action_by(doc: TextDocument, group: Group) -> list[Mention]:
    """The posts a decision notice names for the whole list, under a label after it ('Action by:' then 'CHIEF
    EXECUTIVE (W. Tuckley)' on the lines below): the owners of each of its items that names none."""
    from govgraph.loaders import entities

    last = group.items[-1]
    after = doc.blocks[last.block.index + 1 + len(last.children):][:6]
    for i, block in enumerate(after):
        m = ACTION_BY.match(block.text)
        if m is None:
            if block.is_heading or len(block.text) > 200:
                break
            continue
        owners: list[Mention] = []
        lines = [(block, m.end())] + [(b, 0) for b in after[i + 1:i + 4]]
        for b, offset in lines:
            if b is not block and (ACTION_BY.match(b.text) or b.text.rstrip().endswith(":")):
                break
            text = doc.text[b.start:b.end]
            # a post in capitals ('CHIEF EXECUTIVE (W. TUCKLEY)') is found as written in title case
            value = text[offset:]
            found = entities.find_roles(value.title() if value.isupper() else value)
            if not found and b is not block:
                break
            # the holder's initials and name after the post ('(W. Tuckley)') are not part of the post
            owners += [Mention(re.sub(r"\s*\((?:[A-Z]\.\s?)+[A-Za-z'’-]+\)$", "", f.text),
                               doc.span(b.start + offset + f.start, b.start + offset + f.end), POSITION)
                       for f in found]
        return owners
    return []




def _span(doc: TextDocument, start: int, end: int):
    return doc.span(start, end)


def _read_item(doc: TextDocument, reading: ExtractedDocument, group: Group, genre: str, item: Item) -> None:
    text = item.text
    if genre in ("recommendations", "decisions") and NOTING.match(text):
        return  # a report's recommendation to note it, or a meeting noting it, is procedure, not a commitment
    if genre == "recommendations" or (genre == "decisions" and RECOMMENDS.search(text)):
        key = f"i{len(reading.recommendations) + 1}"
        reading.recommendations.append(Recommendation(key, first_sentence(text, 400), item.number, None,
                                                      _span(doc, item.start, item.end)))
        return
    if genre == "quoted":
        for m in QUOTED_ACTION.finditer(text):
            rest = text[m.end():]
            # a status quoted after the title, else what the whole answer says (nothing, when it is only to be
            # checked)
            status = next((sentences.status_of(q["q"]) for q in QUOTED.finditer(rest)
                           if sentences.status_of(q["q"])), None) or sentences.status_of(text[:m.start()] + " " + rest)
            title_start = item.start + doc.text[item.start:item.end].find(m["title"][:20])
            _action(doc, reading, m["title"], None, (title_start, title_start + len(m["title"])),
                    item, status=status, progress=text)
        return
    if genre == "decisions" and (parts := _deliverables(text)):
        lead_bodies = sentences.overseers(text[:text.find(parts[0])]) or sentences.overseers(text)
        for part in parts:
            at = doc.text.find(part[:30], item.start, item.end + 1)
            span = (at, at + len(part)) if at >= 0 else (item.start, item.end)
            _action(doc, reading, part, None, span, item, bodies=lead_bodies)
        return
    if genre == "issues":
        _issue(doc, reading, item)
        return
    due = [collapse(group.intro.text)] if genre == "timed" and group.intro is not None else []
    status = sentences.marked_status(text) or (
        sentences.status_of(text) if genre in ("progress", "timed", "done") else None)
    if genre == "done" and status is None:
        status = "in progress" if re.match(r"\W*made\s+progress\b", text, re.I) else (
            "completed" if DONE_ITEM.match(text) else None)
    _action(doc, reading, text, item.number, (item.start, item.end), item, status=status, due=due,
            progress=text if genre in ("progress", "done") else None)


def _issue(doc: TextDocument, reading: ExtractedDocument, item: Item) -> None:
    """A governance issue and what is done about it: a title and its update, or a title over lettered items."""
    nested = [b for b in item.children if b.is_list_item]
    titled = _title(item.text)
    if nested and _headline(item.text):
        title, rest = item.text.rstrip(":"), None
    elif titled:
        title, rest, _ = titled
    else:
        _action(doc, reading, item.text, item.number, (item.start, item.end), item,
                status=sentences.status_of(item.text), progress=item.text)
        return
    key = f"i{len(reading.recommendations) + 1}"
    title_at = doc.text.find(title[:20], item.start, item.end + 1)
    reading.recommendations.append(Recommendation(key, title, item.number, None,
                                                  doc.span(title_at, title_at + len(title)) if title_at >= 0 else
                                                  doc.span(item.start, item.end)))
    if rest:
        at = doc.text.find(rest[:20], item.start, item.end + 1)
        _action(doc, reading, rest, item.number, (at, item.end) if at >= 0 else (item.start, item.end), item,
                status=sentences.status_of(rest), progress=rest, responds_to=[key])
    for child in nested:
        text = collapse(doc.text[child.start:child.end])
        number = f"{item.number or ''}{marker_number(child.marker) or ''}" or None
        _action(doc, reading, text, number, (child.start, child.end), item, status=sentences.status_of(text),
                progress=text, responds_to=[key])


def _deliverables(text: str) -> list[str]:
    """Deliverables an item lists after 'include(d)' or a colon, separated by semicolons (at least three)."""
    m = INCLUDED.search(text)
    if not m:
        return []
    tail = text[m.end():]
    parts = [p.strip(" .") for p in re.split(r";\s*(?:and\s+|or\s+)?", tail)]
    parts = [re.sub(r"^(?:and|or)\s+", "", p) for p in parts if p.strip(" .")]
    if len(parts) < 3 or any(len(p.split()) > 25 for p in parts):
        return []
    return parts


def _action(doc: TextDocument, reading: ExtractedDocument, text: str, number: str | None, span: tuple[int, int],
            item: Item, *, status: str | None = None, progress: str | None = None, due: list[str] | None = None,
            bodies: list | None = None, responds_to: list[str] | None = None) -> None:
    words = collapse(text)
    where = doc.span(*span)
    owners = [Mention(f.text, where, SENTENCE) for f in sentences.owners(words)]
    oversight = [Mention(f.text, where, SENTENCE) for f in (sentences.overseers(words) or bodies or [])]
    dues = [Mention(t, where, POSITION) for t in due or []] + [
        Mention(t, where, SENTENCE) for t in sentences.timings(words) if t not in (due or [])]
    report = StatusReport(status, first_sentence(progress, 400) if progress else None, span=where) \
        if status or progress else None
    reading.actions.append(Action(f"i{len(reading.actions) + 1}", first_sentence(words, 400), number, owners=owners,
                                  oversight=oversight, due=dues, status=report, span=where,
                                  responds_to=list(responds_to or [])))

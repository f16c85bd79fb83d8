"""Action plans laid out as tables: one row per action (or per theme, or per recommendation), rendered as text with
tab-separated cells (see :mod:`govgraph.loaders.text`).

Which blocks are tables, what their columns hold and which rows make one record is
:mod:`govgraph.loaders.table_layout`'s; this module reads the records. The rules are those of the genre, not of
any one council's template:

- a row whose number cell is empty belongs to the numbered action above: it is a milestone of it (its own step,
  date or body), or the rest of the row above cut by a page break (text that starts in lower case, or follows text
  left unfinished, or a row with nothing but names);
- in a table without numbers, a row whose action cell is empty continues the action above, and a row whose action
  cell starts in lower case is the rest of the row above;
- several paragraphs in an action or recommendation cell are several actions or recommendations (bullets under a
  lead-in ending with a colon are the actions; bullets under a recommendation belong to it); dates in the
  timescale cell pair with them in order; the posts and bodies of a row apply to every action of the row, and a
  blank owner cell is merged with the one above;
- the actions of a row answer the recommendations of the same row (or of the row above, when the row's
  recommendation cell is blank, as a merged cell).
"""
from __future__ import annotations

import re
from dataclasses import replace

from govgraph.loaders import entities
from govgraph.loaders.blocks import Cell, Part
from govgraph.loaders.confidence import LABELLED_HEADER, POSITION, SENTENCE
from govgraph.loaders.dates import CELL_TIMING, RUN_TOGETHER, date_tokens
from govgraph.loaders.genre import document_kind
from govgraph.loaders.model import (
    Action,
    ExtractedDocument,
    Mention,
    Milestone,
    PersonMention,
    Recommendation,
    StatusReport,
    Theme,
)
from govgraph.loaders.names import first_sentence
from govgraph.loaders.table_layout import TERMINAL, Record, Table, find_tables, merge_rows
from govgraph.loaders.text import TextDocument

DONE = re.compile(r"^\s*(?:completed?|done|achieved|closed)\b", re.I)
DEFERRED = re.compile(r"\b(?:deferred|postponed|on hold)\b", re.I)


def _due_parts(cell: Cell) -> list[Part]:
    """A due cell's dates as printed: each paragraph or run, split at semicolons; a sentence gives its timing
    phrase."""
    out: list[Part] = []
    for part in cell.parts():
        for piece in re.finditer(r"[^;]+", part.text):
            for text in RUN_TOGETHER.split(piece.group()):
                text = text.strip().rstrip(":").strip()
                if not text:
                    continue
                # a sentence or a line with other dates in it: keep the timing phrases, as printed
                found = [m.group() for m in CELL_TIMING.finditer(text)]
                if len(found) > 1:  # '2019/20 report ... 22/7/20': the year the report covers is not its date
                    found = [f for f in found if not re.fullmatch(r"\d{4}/\d{2,4}", f)] or found
                if found and len(text.split()) > 3 and (
                        len(text.split()) > 8 or date_tokens(text) != date_tokens(" ".join(found))):
                    out += [Part(f, part.start, part.end) for f in found]
                else:
                    out.append(Part(text, part.start, part.end))
    return out


def _groups(parts: list[Part], *, lead_in_bullets: bool) -> list[list[Part]]:
    """Top-level items of a cell, each with its bullets. With ``lead_in_bullets``, a paragraph ending with a colon
    and followed by bullets is a lead-in and each bullet is an item of its own (within one group, so timings that
    pair with paragraphs still line up)."""
    groups: list[list[Part]] = []
    for part in parts:
        if part.bullet and groups:
            groups[-1].append(part)
        else:
            groups.append([part])
    return groups


class TableReader:
    """Reads action plans laid out as tables."""

    name = "tables"
    how = LABELLED_HEADER  # how what it finds is found, unless an item says otherwise

    def read(self, doc: TextDocument) -> ExtractedDocument | None:
        tables = find_tables(doc)
        if not tables:
            return None
        reading = ExtractedDocument(path=doc.path, sha256=doc.sha256, kind=document_kind(doc))
        themes: dict[str, Theme] = {}
        for table in tables:
            recs, actions = len(reading.recommendations), len(reading.actions)
            _read_table(doc, table, reading, themes)
            _say_how(table, reading.recommendations[recs:], reading.actions[actions:])
        return reading




def _say_how(table: Table, recommendations: list[Recommendation], actions: list[Action]) -> None:
    """Each item and value read from the table's columns says how its column was found (a value found another
    way, in a sentence or by its place, already says so)."""
    for rec in recommendations:
        rec.how = rec.how or table.how("recommendation")
    for action in actions:
        action.how = action.how or table.how("action")
        for item in [action] + action.milestones:
            for name, fieldname in (("owners", "owner"), ("oversight", "oversight"), ("due", "due")):
                setattr(item, name, [m if m.how else replace(m, how=table.how(fieldname))
                                     for m in getattr(item, name)])


def _read_table(doc: TextDocument, table: Table, reading: ExtractedDocument, themes: dict[str, Theme]) -> None:
    cols = table.columns
    numbered = "action_ref" in cols
    last_owners: list[Mention] = []
    last_recs: list[str] = []
    group_recs: list[str] = []  # the recommendation a row spanning the table heads the rows under it with
    group_theme: str | None = None
    for record in merge_rows(table):
        if record.rows[0].spanning and len(record.rows) == 1 and "recommendation" not in cols:
            group_recs, group_theme = _spanning_row(doc, record.rows[0].cells[0], reading, themes)
            last_owners = []
            continue
        # theme
        theme_key = group_theme
        theme_cells = record.cells(cols.get("theme"))
        if theme_cells:
            parts = theme_cells[0].parts()
            name = re.sub(r"\s*\(.*$", "", parts[0].text).strip(" .") if parts else ""
            if name:
                theme_key = name.lower()
                if theme_key not in themes:
                    themes[theme_key] = Theme(theme_key, name, doc.span(parts[0].start, parts[0].end))
                    reading.themes.append(themes[theme_key])
        elif reading.themes:
            theme_key = reading.themes[-1].key

        # recommendations of this record
        rec_keys: list[str] = []
        for cell in record.cells(cols.get("recommendation")):
            for group in _groups(cell.parts(), lead_in_bullets=False):
                head = group[0]
                key = f"r{len(reading.recommendations) + 1}"
                reading.recommendations.append(Recommendation(
                    key, " ".join(p.text for p in group), None, theme_key, doc.span(head.start, group[-1].end)))
                rec_keys.append(key)
        if not rec_keys and "recommendation" in cols:
            rec_keys = list(last_recs)  # a blank recommendation cell is merged with the one above
        last_recs = rec_keys or last_recs
        rec_keys = rec_keys or list(group_recs)

        owners, people = _owners(doc, record, cols)
        if not owners and record.owner is None and "owner" in cols:
            # a blank owner cell is merged with the one above
            owners = [replace(m, how=m.how or POSITION) for m in last_owners]
        if record.owner is not None and not owners:
            owners = [replace(record.owner, how=POSITION)]
        last_owners = owners or last_owners
        oversight = _oversight(doc, record.cells(cols.get("oversight")))

        if numbered:
            _numbered_action(doc, record, cols, reading, theme_key, rec_keys, owners, people, oversight)
        else:
            _row_actions(doc, record, cols, reading, theme_key, rec_keys, owners, people, oversight)


def _spanning_row(doc: TextDocument, cell: Cell, reading: ExtractedDocument,
                  themes: dict[str, Theme]) -> tuple[list[str], str | None]:
    """A row spanning the whole table heads the rows under it: a sentence is the recommendation they answer, a
    short label their theme. Returns (recommendation keys, theme key)."""
    parts = cell.parts()
    if not parts:
        return [], None
    text = " ".join(p.text for p in parts)
    if len(text.split()) >= 6 or re.search(r"[.;]\s", text):
        key = f"r{len(reading.recommendations) + 1}"
        reading.recommendations.append(Recommendation(key, text, None, reading.themes[-1].key if reading.themes else None,
                                                      doc.span(parts[0].start, parts[-1].end), how=POSITION))
        return [key], reading.themes[-1].key if reading.themes else None
    name = re.sub(r"^\W*(?:theme|priority|area)\s*\d*\W*", "", text, flags=re.I).strip(" .:") or text
    theme_key = name.lower()
    if theme_key not in themes:
        themes[theme_key] = Theme(theme_key, name, doc.span(parts[0].start, parts[-1].end))
        reading.themes.append(themes[theme_key])
    return [], theme_key


def _owners(doc: TextDocument, record: Record, cols: dict[str, int]) -> tuple[list[Mention], list[PersonMention]]:
    owners: list[Mention] = []
    people: list[PersonMention] = []
    for cell in record.cells(cols.get("owner")):
        owners += _cell_roles(doc, cell)
        people += _cell_people(doc, cell)
    return _unique(owners), people


def _cell_roles(doc: TextDocument, cell: Cell) -> list[Mention]:
    out = []
    for found in entities.find_roles(cell.raw):
        if found.text.lower().startswith(("chair", "chairs")):
            continue
        # a title ending in a lower-case word ('Director of Adults and health') is cut by the finder; take it
        tail = re.match(r" and [a-z]+(?=\s*(?:\(|,|<|$|\s{2}))", cell.raw[found.end:])
        if tail:
            found = entities.Found(found.text + tail.group(), found.start, found.end + tail.end())
        # a scope in brackets after a full title is a note ('(locality assets)'), not part of the post
        title = re.sub(r"\s?\([a-z][^)]*\)$", "", found.text)
        if re.search(r"\b(?:of|for)\b", title):
            title = re.sub(r"\s?\([^)]*\)$", "", title)
        out.append(Mention(title, doc.span(cell.start + found.start, cell.start + found.end)))
    return out


def _cell_people(doc: TextDocument, cell: Cell) -> list[PersonMention]:
    return [PersonMention(p.name, "contact" if p.role == "contact" else p.role, None,
                          doc.span(cell.start + p.start, cell.start + p.end))
            for p in entities.find_people(cell.raw) if p.role == "contact"]


def _oversight(doc: TextDocument, cells: list[Cell]) -> list[Mention]:
    out: list[Mention] = []
    for cell in cells:
        if re.fullmatch(r"\?+|tbc|tbd", cell.text.strip().lower()):
            out.append(Mention(cell.text.strip(), doc.span(cell.start, cell.end)))
            continue
        for found in entities.find_bodies(cell.raw):
            out.append(Mention(found.text, doc.span(cell.start + found.start, cell.start + found.end)))
    return _unique(out)


def _unique(mentions: list) -> list:
    """Each name once (spellings of one title are one), and an abbreviation dropped beside its full name."""
    from govgraph.loaders.names import expands_to, post_key

    seen, out = set(), []
    texts = [getattr(m, "text", None) or getattr(m, "name", "") for m in mentions]
    for m, text in zip(mentions, texts):
        key = post_key(text)
        if key in seen or (re.fullmatch(r"[A-Z&]{2,8}s?", text) and any(expands_to(text, t) for t in texts)):
            continue
        seen.add(key)
        out.append(m)
    return out


def _status(record: Record, cols: dict[str, int], due_texts: list[str]) -> StatusReport | None:
    printed = " ".join(c.text for c in record.cells(cols.get("status"))) or None
    progress_cells = record.cells(cols.get("progress"))
    progress = first_sentence(progress_cells[0].text) if progress_cells else None
    if printed is None:
        if any(DONE.match(t) for t in due_texts) or (progress and DONE.match(progress)):
            printed = "completed"
        elif any(DEFERRED.search(t) for t in due_texts):
            printed = "deferred"
        elif progress:
            printed = "in progress"
    if printed is None and progress is None:
        return None
    return StatusReport(printed, progress)


def _numbered_action(doc, record, cols, reading, theme_key, rec_keys, owners, people, oversight) -> None:
    """A numbered key action: the first row's action cell is the action; each row's plan cell a milestone."""
    first = record.rows[0]
    action_cell = first.get(cols.get("action"))
    text_parts = [p.text for c in record.cells(cols.get("action")) for p in c.parts()]
    if not text_parts:
        return
    text = " ".join(text_parts)
    number = first.text(cols.get("action_ref")).rstrip(".")
    action = Action(f"a{len(reading.actions) + 1}", text, number or None, responds_to=list(rec_keys),
                    theme=theme_key, owners=owners, oversight=oversight, people=people,
                    span=doc.span(action_cell.start, action_cell.end) if action_cell else None)
    milestone_col = cols.get("milestone")
    due_all: list[Mention] = []
    previous: Milestone | None = None
    for row in record.rows:
        plan = row.get(milestone_col)
        due_cell = row.get(cols.get("due"))
        dues = _due_parts(due_cell) if due_cell is not None and due_cell.text else []
        due_mentions = [Mention(p.text, doc.span(p.start, p.end)) for p in dues]
        due_all += [m for m in due_mentions if m.text not in [d.text for d in due_all]]
        row_bodies = _oversight(doc, [c for c in [row.get(cols.get("oversight"))] if c is not None and c.text])
        plan_parts = plan.parts() if plan is not None and plan.text else []
        if not plan_parts:
            if previous is not None:
                previous.due += [m for m in due_mentions if m.text not in [d.text for d in previous.due]]
            continue
        # a plan cell left unfinished on the row above, continued here
        if previous is not None and row is not record.rows[0] and not TERMINAL.search(previous.text) \
                and not due_mentions and plan_parts[0].text[:1].islower() | (not row_bodies and not dues):
            previous.text = f"{previous.text} {plan_parts[0].text}"
            plan_parts = plan_parts[1:]
        steps = _steps(plan_parts, len(due_mentions))
        for i, step in enumerate(steps):
            due = [due_mentions[i]] if len(steps) == len(due_mentions) and len(steps) > 1 else (
                due_mentions if i == 0 else [])
            milestone = Milestone(step.text, due=due, oversight=row_bodies if row_bodies else [],
                                  span=doc.span(step.start, step.end))
            action.milestones.append(milestone)
            previous = milestone
    action.due = due_all
    action.oversight = _unique(action.oversight + _bodies_overseeing(doc, record))
    action.status = _status(record, cols, [m.text for m in due_all])
    reading.actions.append(action)


def _steps(parts: list[Part], dates: int) -> list[Part]:
    """The milestones of one plan cell: the cell as one step, or each paragraph when the timing cell lists as many
    dates, or each bullet under a 'Key milestones' style lead-in."""
    if not parts:
        return []
    bullets = [p for p in parts if p.bullet]
    if len(bullets) >= 2 and not parts[0].bullet and re.search(r"milestones?:?$", " ".join(
            p.text for p in parts if not p.bullet), re.I):
        return bullets
    top = [p for p in parts if not p.bullet]
    if dates > 1 and len(top) == dates:
        return top
    if dates > 1 and len(top) == 1:
        sentences = [s for s in re.split(r"(?<=\.)\s+(?=[A-Z])", top[0].text) if s]
        if len(sentences) == dates:
            out, pos = [], top[0].start
            for s in sentences:
                out.append(Part(s, pos, pos + len(s)))
                pos += len(s) + 1
            return out
    head = top[0] if top else parts[0]
    return [Part(head.text, head.start, parts[-1].end)]


def _row_actions(doc, record, cols, reading, theme_key, rec_keys, owners, people, oversight) -> None:
    """A row of an unnumbered table: each paragraph of its action cell is an action (bullets under a lead-in are
    the actions); its timescale parts pair with the paragraphs in order."""
    action_cells = record.cells(cols.get("action"))
    if not action_cells:
        return
    first = record.rows[0]
    key_cell = first.get(cols.get("action"))
    due_mentions: list[Mention] = []
    if key_cell is not None and key_cell.text:
        due_cell = first.get(cols.get("due"))
        if due_cell is not None and due_cell.text:
            due_mentions = [Mention(p.text, doc.span(p.start, p.end)) for p in _due_parts(due_cell)]
    groups = _groups([p for c in action_cells[:1] for p in c.parts()], lead_in_bullets=True)
    # cells continued on later rows (lower-case starts) complete the last paragraph
    extra = [p for c in action_cells[1:] for p in c.parts()]
    if extra and groups and record.rows[0].get(cols.get("action")) is not None:
        continuation = [p for p in extra]
        groups[-1] = groups[-1] + [Part(p.text, p.start, p.end, False) for p in continuation]
    if len(groups) == 1 and not (groups[0][0].text.rstrip().endswith(":") and len(groups[0]) > 2):
        text = " ".join(p.text for p in groups[0] if not p.bullet) or groups[0][0].text
        items = [(text, groups[0][0], groups[0][-1], due_mentions)]
    else:
        items = []
        for i, group in enumerate(groups):
            due = [due_mentions[i]] if len(due_mentions) == len(groups) else (
                [due_mentions[i]] if i < len(due_mentions) and len(due_mentions) > 1 else
                (due_mentions if len(due_mentions) == 1 else []))
            head, bullets = group[0], [p for p in group[1:] if p.bullet]
            if bullets and head.text.rstrip().endswith(":"):
                items += [(b.text, b, b, due) for b in bullets]
            else:
                items.append((" ".join([head.text] + [p.text for p in group[1:] if not p.bullet]), head, group[-1], due))
    # later rows with their own timescale are milestones; the rest is commentary
    milestones: list[Milestone] = []
    due_extra: list[Mention] = []
    for row in record.rows[1:]:
        cell = row.get(cols.get("due"))
        if cell is None or not cell.text or row.text(cols.get("action")):
            continue
        dues = [Mention(p.text, doc.span(p.start, p.end)) for p in _due_parts(cell)]
        progress = row.get(cols.get("progress"))
        if progress is not None and progress.text:
            parts = progress.parts()
            milestones.append(Milestone(first_sentence(progress.text), due=dues,
                                        span=doc.span(parts[0].start, parts[-1].end) if parts else None))
        due_extra += dues
    if not oversight and "oversight" not in cols:
        oversight = _bodies_overseeing(doc, record)
    if not rec_keys and "recommendation" not in cols and len(items) == 1:
        issue = _issue(items[0][0])
        if issue:
            key = f"r{len(reading.recommendations) + 1}"
            reading.recommendations.append(Recommendation(key, issue, None, theme_key,
                                                          doc.span(items[0][1].start, items[0][2].end), how=SENTENCE))
            rec_keys = [key]
    for text, head, last, due in items:
        all_due = list(due) + [d for d in due_extra if d.text not in [x.text for x in due]] if len(items) == 1 else list(due)
        action = Action(f"a{len(reading.actions) + 1}", text, None, responds_to=list(rec_keys), theme=theme_key,
                        owners=list(owners), oversight=list(oversight), people=list(people), due=all_due,
                        span=doc.span(head.start, last.end))
        if len(items) == 1:
            action.milestones = milestones
        action.status = _status(record, cols, [m.text for m in all_due])
        reading.actions.append(action)


ISSUE = re.compile(r"\b(?:is|are)\s+not\b|\bthere\s+is\s+no\b|\bnot\s+(?:fully|currently|yet)\b|\black\s+of\b|"
                   r"\bweakness(?:es)?\b|\b(?:review|audit|inspection)\s+(?:suggested|found|identified)\b", re.I)


def _issue(text: str) -> str | None:
    """A weakness an action states before saying what will be done ('Arrangements ... are not fully embedded,
    therefore work will continue...'): that is the governance issue the action answers."""
    sentence = first_sentence(text, 600)
    if not ISSUE.search(sentence):
        return None
    clause = re.split(r",?\s+(?:therefore|so|and\s+so)\s+", sentence, maxsplit=1)[0]
    if clause == sentence and not re.search(r"[.;]", text[len(sentence):len(sentence) + 2] + "."):
        return None
    return clause.rstrip(" ,.") + ("." if clause != sentence else "")


def _bodies_overseeing(doc: TextDocument, record: Record) -> list[Mention]:
    """Bodies a row's text says receive reports on, approve or decide on the work."""
    from govgraph.loaders.prose import OVERSIGHT_VERBS

    out: list[Mention] = []
    for row in record.rows:
        for cell in row.cells:
            for m in re.finditer(r"[^.;]+", cell.raw):
                sentence = m.group()
                if not re.search(OVERSIGHT_VERBS.pattern + r"|\bsigned\s+off\b|\bapproved\b|\bagreed\s+by\b",
                                 sentence, re.I):
                    continue
                for found in entities.find_bodies(sentence):
                    start = cell.start + m.start() + found.start
                    if found.text not in [o.text for o in out]:
                        out.append(Mention(found.text, doc.span(start, cell.start + m.start() + found.end),
                                           how=SENTENCE))
    return out

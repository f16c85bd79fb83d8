"""People council documents name: contacts, councillors, and names written beside a post.

>>> [(p.name, p.role) for p in find_people("Contact – Louise Whitworth / Shona McFarlane")]
[('Louise Whitworth', 'contact'), ('Shona McFarlane', 'contact')]
"""
from __future__ import annotations

import re

from govgraph.loaders.names import collapse
from govgraph.loaders.phrases import FoundPerson
from govgraph.loaders.posts import find_roles

NAME_WORD = r"(?:Mc|Mac|O'|O’|D'|D’)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"  # Kate, McMasters, O'Neil, Spencer-Henshall
NAME = rf"{NAME_WORD}(?: {NAME_WORD}){{1,2}}"
PERSON_PATTERNS = [
    # "Contact – Kate Sadler", "Contact Anne McMasters", "contact - Helen Cerroti / Shona McFarlane"
    (re.compile(rf"\b[Cc]ontact(?: officer)? ?[:–—-]? ?(?P<names>{NAME}(?: ?/ ?{NAME})*)"), "contact"),
    # "Cllr James Lewis", "Councillor Coupar"
    (re.compile(rf"\b(?:Cllr\.?|Councillor) (?P<names>{NAME}|{NAME_WORD})"), "councillor"),
]
NAME_BEFORE_ROLE = re.compile(rf"(?:^|\t|\n|: )(?P<name>{NAME}) [–—-] (?=[A-Z])")
ROLE_COMMA_NAME = re.compile(rf", (?P<name>{NAME}),")
NOT_NAME_WORDS = {"The", "This", "Council", "Board", "Committee", "Group", "Team", "Plan", "Officer", "Director",
                  "Head", "Chief", "Executive", "Service", "Services", "Leeds", "Strategy", "Policy", "Report",
                  "Review", "Progress", "Action", "Actions", "Appendix", "Member", "Members", "Annual"}


def find_people(text: str) -> list[FoundPerson]:
    """Named people: contacts, councillors, and 'Name – Title' lines."""
    found: list[FoundPerson] = []
    for pattern, role in PERSON_PATTERNS:
        for m in pattern.finditer(text):
            start = m.start("names")
            for name in re.split(r"\s?/\s?", m.group("names")):
                if name.split()[0] in NOT_NAME_WORDS:
                    continue
                pos = text.find(name, start)
                found.append(FoundPerson(name, role, pos, pos + len(name)))
    for m in NAME_BEFORE_ROLE.finditer(text):
        name = m.group("name")
        if len(name.split()) >= 2 and not set(name.split()) & NOT_NAME_WORDS:
            role = find_roles(text[m.end():m.end() + 120])
            if role and role[0].start == 0:
                found.append(FoundPerson(name, role[0].text, m.start("name"), m.end("name")))
    for role in find_roles(text):
        m = ROLE_COMMA_NAME.match(text, role.end)
        if m and not set(m.group("name").split()) & NOT_NAME_WORDS:
            found.append(FoundPerson(m.group("name"), role.text, m.start("name"), m.end("name")))
    found += _people_in_role_tables(text)
    found.sort(key=lambda p: p.start)
    return found


def _people_in_role_tables(text: str) -> list[FoundPerson]:
    """Tables whose header cells are role titles ('Strategic Director', 'Head of Service') list the people who
    hold them: a cell below such a header that is just a personal name is that person."""
    found: list[FoundPerson] = []
    header: dict[int, str] = {}
    offset = 0
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) > 1:
            plain = [collapse(c) for c in cells]
            roles = {i: c for i, c in enumerate(plain) if c and [r.text for r in find_roles(c)] == [c]}
            if roles:
                header = roles
            elif header:
                position = offset
                for i, cell in enumerate(cells):
                    name = collapse(cell)
                    if i in header and re.fullmatch(NAME, name) and not set(name.split()) & NOT_NAME_WORDS:
                        start = text.find(name, position)
                        found.append(FoundPerson(name, header[i], start, start + len(name)))
                    position += len(cell) + 1
        else:
            header = {} if line.strip() else header
        offset += len(line) + 1
    return found


# --- what a document says about itself ---------------------------------------------------------------------------